"""Launch buttons only once the course has a public repository.

`_config.yml` configures Binder and Colab launch buttons but leaves `repository: url:` empty. Without a
repository they can only be broken (and sphinx-book-theme fails on them), so this extension switches them
off until that one setting is filled in.
"""


def drop_launch_buttons_without_repository(app, config):
    """Remove the `launch_buttons` theme option unless `repository_url` is set."""
    options = config.html_theme_options
    if not str(options.get("repository_url") or "").strip():
        options.pop("launch_buttons", None)


def setup(app):
    app.connect("config-inited", drop_launch_buttons_without_repository)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
