"""Import a Jekyll curriculum site into canonical curriculum YAML + Markdown.

The flow, one module per step::

    read_site (read.py, files → Site: site.py parses front matter, _config.yml, page URLs)
      → classify (classify.py: module folders, weeks, learning goals, repeat plans, guides, other)
      → build (build.py: kramdown.py converts bodies, relink.py turns site links into page
               references, sections.py / deliverables.py read a module index's structure)
      → files + ImportReport (report.py) → emit.py (YAML text) → write.py (the only writer)

Everything but ``read.py`` and ``write.py`` is pure: text in, data out.
"""
