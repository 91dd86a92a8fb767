"""pd-sync: keep Canvas courses in step with a curriculum kept as YAML + Markdown."""

__version__ = "0.1.0"
