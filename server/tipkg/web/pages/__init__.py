"""HTML pages: Jinja2 templates (autoescaped) and the function that renders them."""
