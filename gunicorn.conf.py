"""gunicorn settings for FLS Tracker, read by gunicorn from the working directory.

Each worker compiles every template before it takes a request (#34): otherwise the first
request of each page in each worker pays for compiling its template and macros, enough
to put the first minute after a start, a restart or a deploy over the 300 ms p95 target.
It costs each worker about a second at start-up and the memory the templates would take
after their first use anyway.
"""

from pathlib import Path


def post_worker_init(worker) -> None:  # noqa: ANN001 - gunicorn's Worker
    app = worker.wsgi
    if not getattr(app, "template_folder", None):
        return
    # The app's own folder: the NHS.UK macros' loader cannot list its templates, and they
    # compile with the pages that import them.
    folder = (Path(app.root_path) / app.template_folder).resolve()
    for path in sorted(folder.rglob("*.html")):
        app.jinja_env.get_template(path.relative_to(folder).as_posix())
