# Renders kramdown sources the way the site's Jekyll does (GFM input), for the differential test:
# reads a JSON list of [source, parse_block_html] pairs on stdin, writes a JSON list of HTML.
require 'json'
require 'kramdown'
require 'kramdown-parser-gfm'

cases = JSON.parse($stdin.read)
puts JSON.generate(cases.map { |source, block_html|
  Kramdown::Document.new(source, input: 'GFM', parse_block_html: block_html).to_html
})
