from flask import g, render_template, request

from app.search import bp, queries

MAX_QUERY = 100


@bp.get("/search")
def index():
    q = " ".join(request.args.get("q", "").split())[:MAX_QUERY]
    groups = queries.search_site(g.site.id, q) if q else []
    return render_template(
        "search/index.html",
        q=q,
        groups=groups,
        found=sum(len(group.hits) for group in groups),
    )
