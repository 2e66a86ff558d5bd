"""The project plan: tasks by phase with RAG, the timeline, the workbook in and out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint

if TYPE_CHECKING:
    from app.core.registry import Registry

bp = Blueprint("plan", __name__)
mytasks_bp = Blueprint("mytasks", __name__)

from app.plan import bulk_views, rebuild_views, views  # noqa: E402, F401


def register(registry: Registry) -> None:
    """What this feature adds to pages and commands other packages own."""
    from app.plan.checks import plan_facts, plan_populated
    from app.plan.demo import bench_tasks, demo_plans
    from app.plan.models import Task
    from app.plan.people_links import tasks_owned, unassign_tasks
    from app.plan.queries import overview_facts, overview_panel
    from app.plan.service import plan_for_new_site

    registry.add_panel("plan/_overview_panel.html", overview_panel, order=10, facts=overview_facts)
    registry.add_demo(demo_plans, bench_tasks, order=20)
    registry.add_gateway_check(
        "plan_populated", plan_populated, "sites.plan.index", facts=plan_facts
    )
    registry.person_sections.append(("Tasks owned", tasks_owned))
    registry.erasure_hooks.append(unassign_tasks)
    registry.owned_records.append(("Task", Task, "title"))
    registry.site_setup.append(plan_for_new_site)
    _history_words(registry)


def _history_words(registry: Registry) -> None:
    from app.core.history_words import NameSource
    from app.plan.models import RAG_VALUES, TASK_STATUSES, Task

    registry.history.add(
        objects={"plan": "Plan", "task": "Task"},
        fields={
            "task_id": "Linked task",
            "predecessor_id": "Comes after",
            "reported_rag": "Reported RAG",
            "reported_rag_reason": "Reason for reported RAG",
        },
        # reported RAG is also kept on records other than tasks
        vocabularies={("task", "status"): TASK_STATUSES, ("*", "reported_rag"): RAG_VALUES},
        ids={"task_id": "task", "predecessor_id": "task", "author_id": "user"},
    )
    registry.history.add_names("task", NameSource(Task, Task.title, "a deleted task"))
