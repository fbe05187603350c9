"""The feedback pages' stylesheet: nbconvert's basic template's cells (classic classes), code highlighted
as in Jupyter, placeholders for what a page does not show."""

from pygments.formatters import HtmlFormatter

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;line-height:1.5;color:#1b1b1b;margin:0}
main.notebook{max-width:60rem;margin:1.5rem auto;padding:0 1rem}
header{border-bottom:2px solid #3b6ea5;margin-bottom:1rem}
.cell{margin:.6rem 0;display:block}
.input,.output_area{display:flex;gap:.5rem}
.prompt{flex:0 0 5.5rem;text-align:right;font-family:monospace;font-size:.85rem;color:#303f9f;padding-top:.4rem;
  white-space:nowrap;overflow:hidden}
.output_area .prompt{color:#d84315}
.inner_cell,.output_subarea{flex:1 1 auto;min-width:0}
.input_area{background:#f7f7f7;border:1px solid #cfcfcf;border-radius:2px}
pre{margin:0;padding:.4rem;overflow-x:auto;font-size:.85rem;line-height:1.35;white-space:pre}
.output_subarea pre{white-space:pre-wrap;word-break:break-word}
.output_stderr{background:#fdd}
.text_cell .prompt{visibility:hidden}
.text_cell_render{padding:0 .4rem;overflow-x:auto}
.text_cell_render code{background:#f2f2f2;padding:0 .2rem}
.text_cell_render pre code{background:none;padding:0}
img{max-width:100%}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .5rem}
.untrusted-image{display:inline-block;border:1px dashed #b26a00;color:#7a4a00;background:#fff8e6;padding:0 .3rem;
  font-size:.9rem}
.fallback{background:#fff8e6;border-left:4px solid #b26a00;padding:.5rem}
.plain pre{border:1px solid #ddd;margin:.5rem 0;white-space:pre-wrap;word-break:break-word}
.ansi-red-fg{color:#e75c58}.ansi-green-fg{color:#00a250}.ansi-yellow-fg{color:#ddb62b}.ansi-blue-fg{color:#208ffb}
.ansi-magenta-fg{color:#d160c4}.ansi-cyan-fg{color:#60c6c8}.ansi-bold{font-weight:bold}
@media (max-width:40rem){.prompt{display:none}}
""" + HtmlFormatter().get_style_defs(".highlight")
