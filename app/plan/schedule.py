"""Suggested dates for a new plan, from the task library's durations.

Within a phase, tasks run in up to PARALLEL_STREAMS streams at once (a project team does
several things in parallel); each task starts when a stream is free, in library order. The
next phase starts when the last task of the previous one is due. Phase 0 (Manage and Lead)
runs across the whole project, so its tasks are spread evenly from start to finish.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from app.toolkit import TaskTemplate

PARALLEL_STREAMS = 3


@dataclass(frozen=True)
class ScheduledTask:
    template: TaskTemplate
    position: int
    start: date
    due: date


def schedule(templates: list[TaskTemplate], start: date) -> list[ScheduledTask]:
    by_phase: dict[int, list[TaskTemplate]] = {}
    for template in templates:
        by_phase.setdefault(template.phase, []).append(template)
    planned: list[ScheduledTask] = []
    phase_start = start
    for number in sorted(n for n in by_phase if n > 0):
        streams = [phase_start] * PARALLEL_STREAMS
        phase_end = phase_start
        for position, template in enumerate(by_phase[number]):
            stream = min(range(PARALLEL_STREAMS), key=lambda i: streams[i])
            task_start = streams[stream]
            due = task_start + timedelta(weeks=max(template.duration_weeks, 1)) - timedelta(days=1)
            streams[stream] = due + timedelta(days=1)
            phase_end = max(phase_end, due)
            planned.append(ScheduledTask(template, position, task_start, due))
        phase_start = phase_end + timedelta(days=1)
    project_end = max(phase_start - timedelta(days=1), start + timedelta(weeks=4))
    ongoing = by_phase.get(0, [])
    span = (project_end - start).days
    for position, template in enumerate(ongoing):
        task_start = start + timedelta(days=span * position // max(len(ongoing), 1))
        due = task_start + timedelta(weeks=max(template.duration_weeks, 1)) - timedelta(days=1)
        planned.append(ScheduledTask(template, position, task_start, min(due, project_end)))
    return planned
