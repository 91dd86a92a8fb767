"""Import a Jekyll curriculum site into canonical curriculum YAML + Markdown.

The flow, one module per step::

    read_site (read.py, files → Site: site.py parses front matter, _config.yml, CNAME, page URLs)
      → classify (classify.py: modules read from their index pages — weeks.py the weekly
                  breakdown — their goals pages, repeat plans and resources; the rest "More")
      → build (build.py: kramdown.py converts bodies, with kramdown_syntax.py and
               typography.py; relink.py turns site links into page references; goals.py,
               deliverables.py, module_entry.py and assignments.py make each module's entry)
      → files + ImportReport (report.py) → emit.py (YAML text) → write.py (the only writer)

Everything but ``read.py`` and ``write.py`` is pure: text in, data out.
"""
