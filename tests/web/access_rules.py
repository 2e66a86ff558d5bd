"""Expected status per role for every route: the table the access-matrix test walks.

Roles: anonymous, outsider (manager of another site), viewer, editor, manager, support
(charity staff, not a member), admin, viewer_sponsor (the site's sponsor whose access is
viewer: reads like a viewer, and takes the sponsor's decisions). ALLOWED means "let
through": any status except a redirect to sign-in, 401, 403 or 500 (a POST with an empty
form may well be 422 or 404).
"""

ALLOWED = "allowed"
LOGIN = "login"  # anonymous people are redirected to the sign-in page

ROLES = (
    "anonymous", "outsider", "viewer", "editor", "manager", "support", "admin", "viewer_sponsor",
)  # fmt: skip
SAME_AS_VIEWER = object()


def expect(  # noqa: ANN201
    anonymous, outsider, viewer, editor, manager, support, admin,  # noqa: ANN001
    viewer_sponsor=SAME_AS_VIEWER,  # noqa: ANN001
):  # fmt: skip
    """Expected statuses; the viewer-sponsor gets the viewer's unless a rule says otherwise."""
    if viewer_sponsor is SAME_AS_VIEWER:
        viewer_sponsor = viewer
    values = (anonymous, outsider, viewer, editor, manager, support, admin, viewer_sponsor)
    return dict(zip(ROLES, values, strict=True))


PUBLIC = expect(200, 200, 200, 200, 200, 200, 200)
SIGNED_IN = expect(LOGIN, 200, 200, 200, 200, 200, 200)
SIGNED_IN_POST = expect(LOGIN, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED)
ADMIN_ONLY = expect(LOGIN, 403, 403, 403, 403, 403, 200)
ADMIN_ONLY_POST = expect(LOGIN, 403, 403, 403, 403, 403, ALLOWED)
# Per-site pages: members and support staff read, editors and up change.
SITE_READ = expect(LOGIN, 403, 200, 200, 200, 200, 200)
SITE_READ_ANY = expect(LOGIN, 403, ALLOWED, ALLOWED, ALLOWED, ALLOWED, ALLOWED)
SITE_WRITE = expect(LOGIN, 403, 403, ALLOWED, ALLOWED, 403, ALLOWED)
SITE_MANAGE = expect(LOGIN, 403, 403, 403, 200, 403, 200)
SITE_MANAGE_POST = expect(LOGIN, 403, 403, 403, ALLOWED, 403, ALLOWED)
# A page that only editors and up may open (a form that changes data).
SITE_EDIT_PAGE = expect(LOGIN, 403, 403, 200, 200, 403, 200)
# Pages only editors use (forms, exports of personal data): GET by editors and up.
SITE_EDIT_PAGE = expect(LOGIN, 403, 403, 200, 200, 403, 200)
SITE_EDIT_PAGE_ANY = expect(LOGIN, 403, 403, ALLOWED, ALLOWED, 403, ALLOWED)
# A sponsor-only action (@sponsor_required): only the site's sponsor passes, here the
# viewer-sponsor, though read-only (the editor-sponsor is tested in the feature tests).
SITE_SPONSOR_POST = expect(LOGIN, 403, 403, 403, 403, 403, 403, viewer_sponsor=ALLOWED)

# (endpoint, method) -> expected statuses. A route missing here fails the test.
RULES: dict[tuple[str, str], dict] = {
    ("home.healthz", "GET"): PUBLIC,
    ("home.index", "GET"): SIGNED_IN,
    ("home.toolkit", "GET"): SIGNED_IN,
    ("home.help_page", "GET"): SIGNED_IN,
    ("accounts.login", "GET"): expect(200, 302, 302, 302, 302, 302, 302),
    ("accounts.login", "POST"): expect(422, 302, 302, 302, 302, 302, 302),
    ("accounts.logout", "GET"): expect(302, 200, 200, 200, 200, 200, 200),
    ("accounts.logout", "POST"): expect(302, 302, 302, 302, 302, 302, 302),
    ("accounts.change_password", "GET"): SIGNED_IN,
    ("accounts.change_password", "POST"): SIGNED_IN_POST,
    ("accounts.users", "GET"): ADMIN_ONLY,
    ("accounts.new_user", "GET"): ADMIN_ONLY,
    ("accounts.new_user", "POST"): ADMIN_ONLY_POST,
    ("accounts.set_active", "POST"): ADMIN_ONLY_POST,
    ("accounts.new_invitation", "POST"): ADMIN_ONLY_POST,
    # Anyone may open an invitation link; one that matches nothing is gone (410) for all.
    # Public: someone who forgot their password is not signed in.
    ("accounts.request_password_reset", "GET"): PUBLIC,
    ("accounts.request_password_reset", "POST"): expect(422, 422, 422, 422, 422, 422, 422),
    ("accounts.reset_password", "GET"): expect(410, 410, 410, 410, 410, 410, 410),
    ("accounts.reset_password", "POST"): expect(410, 410, 410, 410, 410, 410, 410),
    ("accounts.account", "GET"): SIGNED_IN,
    ("accounts.end_session", "POST"): SIGNED_IN_POST,
    ("accounts.end_other_sessions", "POST"): SIGNED_IN_POST,
    ("accounts.require_reset", "POST"): ADMIN_ONLY_POST,
    ("accounts.reset_two_factor", "POST"): ADMIN_ONLY_POST,
    # Single sign-on exists only when OIDC_* is set (tests/web/test_sso.py sets it).
    ("accounts.sso_start", "GET"): expect(404, 404, 404, 404, 404, 404, 404),
    ("accounts.sso_callback", "GET"): expect(404, 404, 404, 404, 404, 404, 404),
    ("accounts.two_factor", "GET"): SIGNED_IN,
    ("accounts.two_factor", "POST"): SIGNED_IN_POST,
    ("accounts.two_factor_check", "GET"): SIGNED_IN_POST,  # no second factor due: sent on
    ("accounts.two_factor_check", "POST"): SIGNED_IN_POST,
    ("accounts.new_recovery_codes", "POST"): SIGNED_IN_POST,
    ("accounts.turn_off_two_factor", "POST"): SIGNED_IN_POST,
    ("accounts.accept_invitation", "GET"): expect(410, 410, 410, 410, 410, 410, 410),
    ("accounts.accept_invitation", "POST"): expect(410, 410, 410, 410, 410, 410, 410),
    ("site_admin.new_site", "GET"): ADMIN_ONLY,
    ("site_admin.new_site", "POST"): ADMIN_ONLY_POST,
    ("sites.overview", "GET"): SITE_READ,
    ("sites.settings", "GET"): SITE_MANAGE,
    ("sites.settings", "POST"): SITE_MANAGE_POST,
    ("sites.members", "GET"): SITE_READ,
    ("sites.members", "POST"): SITE_MANAGE_POST,
    ("sites.update_member", "POST"): SITE_MANAGE_POST,
    ("sites.remove_member", "GET"): SITE_MANAGE,
    ("sites.remove_member", "POST"): SITE_MANAGE_POST,
    ("sites.take_team_role", "POST"): SITE_MANAGE_POST,
    ("sites.plan.bulk", "GET"): SITE_EDIT_PAGE,
    ("sites.plan.bulk", "POST"): SITE_WRITE,
    ("sites.plan.rebuild", "GET"): SITE_MANAGE,
    ("sites.plan.rebuild", "POST"): SITE_MANAGE_POST,
    # without ?start= there is no date to move to: 404 for managers, refused for others
    ("sites.plan.start_date", "GET"): expect(LOGIN, 403, 403, 403, 404, 403, 404),
    ("sites.plan.start_date", "POST"): SITE_MANAGE_POST,
    ("sites.new_invitation", "POST"): SITE_MANAGE_POST,
    ("sites.send_offer_again", "POST"): SITE_MANAGE_POST,
    ("sites.withdraw_offer", "POST"): SITE_MANAGE_POST,
    # Access offered is answered by the person it was offered to (anyone else: nothing).
    ("site_admin.accept_offer", "POST"): SIGNED_IN_POST,
    ("site_admin.decline_offer", "POST"): SIGNED_IN_POST,
    ("sites.history", "GET"): SITE_READ,
    # Meetings and the action log
    ("sites.meetings.index", "GET"): SITE_READ,
    # A member's own calendar link: every member (viewers too) may make and stop theirs.
    ("sites.meetings.calendar_link", "GET"): SITE_READ,
    ("sites.meetings.calendar_link", "POST"): expect(
        LOGIN, 403, ALLOWED, ALLOWED, ALLOWED, 403, ALLOWED
    ),
    ("sites.meetings.revoke_calendar_link", "GET"): SITE_READ,
    ("sites.meetings.revoke_calendar_link", "POST"): expect(
        LOGIN, 403, ALLOWED, ALLOWED, ALLOWED, 403, ALLOWED
    ),
    ("sites.meetings.new", "GET"): SITE_READ,
    ("sites.meetings.new", "POST"): SITE_WRITE,
    ("sites.meetings.series", "GET"): SITE_READ,
    ("sites.meetings.series", "POST"): SITE_WRITE,
    ("sites.meetings.show", "GET"): SITE_READ,
    ("sites.meetings.edit", "GET"): SITE_READ,
    ("sites.meetings.edit", "POST"): SITE_WRITE,
    ("sites.meetings.cancel", "GET"): SITE_READ,
    ("sites.meetings.cancel", "POST"): SITE_WRITE,
    ("sites.meetings.invite", "POST"): SITE_WRITE,
    ("sites.meetings.uninvite", "POST"): SITE_WRITE,
    ("sites.meetings.attendance", "POST"): SITE_WRITE,
    ("sites.meetings.add_item", "POST"): SITE_WRITE,
    ("sites.meetings.standing_items", "POST"): SITE_WRITE,
    ("sites.meetings.move_item", "POST"): SITE_WRITE,
    ("sites.meetings.remove_item", "GET"): SITE_READ,
    ("sites.meetings.remove_item", "POST"): SITE_WRITE,
    # The matrix's empty POST to remove_item (CSRF off) removes the sample item first: 404.
    ("sites.meetings.minutes", "GET"): SITE_READ_ANY,
    ("sites.meetings.minutes", "POST"): SITE_WRITE,
    ("sites.meetings.add_action", "POST"): SITE_WRITE,
    ("sites.meetings.issue", "GET"): SITE_EDIT_PAGE,
    ("sites.meetings.issue", "POST"): SITE_WRITE,
    ("sites.meetings.agenda", "GET"): SITE_READ,
    ("sites.meetings.agenda_docx", "GET"): SITE_READ,
    ("sites.meetings.minutes_docx", "GET"): SITE_READ,
    ("sites.meetings.meeting_ics", "GET"): SITE_READ,
    ("sites.meetings.feed", "GET"): SITE_READ,
    ("sites.meetings.actions", "GET"): SITE_READ,
    ("sites.meetings.actions", "POST"): SITE_WRITE,
    ("sites.meetings.set_action_status", "POST"): SITE_WRITE,
    ("sites.meetings.save_action_statuses", "POST"): SITE_WRITE,
    ("sites.meetings.edit_action", "GET"): SITE_READ,
    ("sites.meetings.edit_action", "POST"): SITE_WRITE,
    # RAID log (risks). Deleting routes come last in app/risks/views.py so the matrix
    # reads the sample entry before it deletes it.
    ("sites.risks.index", "GET"): SITE_READ,
    ("sites.risks.export", "GET"): SITE_READ,
    ("sites.risks.new", "GET"): SITE_EDIT_PAGE,
    ("sites.risks.new", "POST"): SITE_WRITE,
    ("sites.risks.show", "GET"): SITE_READ,
    ("sites.risks.edit", "GET"): SITE_EDIT_PAGE,
    ("sites.risks.edit", "POST"): SITE_WRITE,
    ("sites.risks.add_mitigation", "POST"): SITE_WRITE,
    ("sites.risks.mitigation_done", "POST"): SITE_WRITE,
    ("sites.risks.delete_mitigation", "GET"): SITE_EDIT_PAGE,
    ("sites.risks.delete_mitigation", "POST"): SITE_WRITE,
    ("sites.risks.delete", "GET"): SITE_EDIT_PAGE,
    ("sites.risks.delete", "POST"): SITE_WRITE,
    ("sites.risks.starters", "GET"): SITE_EDIT_PAGE,
    ("sites.risks.starters", "POST"): SITE_WRITE,
    ("sites.needs.index", "GET"): SITE_READ,
    ("sites.needs.index", "POST"): SITE_WRITE,
    ("sites.needs.version", "GET"): SITE_READ,
    ("sites.needs.method", "GET"): SITE_READ,
    ("sites.needs.assumptions", "GET"): SITE_READ,
    ("sites.needs.assumptions", "POST"): SITE_WRITE,
    ("sites.needs.scenarios", "GET"): SITE_READ,
    ("sites.needs.scenarios", "POST"): SITE_WRITE,
    ("sites.needs.download_xlsx", "GET"): SITE_READ,
    ("sites.needs.download_docx", "GET"): SITE_READ,
    ("sites.business_case.index", "GET"): SITE_READ,
    ("sites.business_case.costs", "GET"): SITE_READ,
    ("sites.business_case.costs", "POST"): SITE_WRITE,
    ("sites.business_case.options", "GET"): SITE_READ,
    ("sites.business_case.options", "POST"): SITE_WRITE,
    ("sites.business_case.route", "GET"): SITE_READ,
    ("sites.business_case.route", "POST"): SITE_WRITE,
    ("sites.business_case.decision", "GET"): SITE_READ,
    ("sites.business_case.decision", "POST"): SITE_WRITE,
    ("sites.business_case.specification", "GET"): SITE_READ,
    ("sites.business_case.specification", "POST"): SITE_WRITE,
    ("sites.business_case.business_case_docx", "GET"): SITE_READ,
    ("sites.business_case.specification_docx", "GET"): SITE_READ,
    ("sites.business_case.model_xlsx", "GET"): SITE_READ,
    # KPIs
    ("sites.kpis.index", "GET"): SITE_READ,
    ("sites.kpis.detail", "GET"): SITE_READ,
    ("sites.kpis.chart_svg", "GET"): SITE_READ,
    ("sites.kpis.chart_png", "GET"): SITE_READ_ANY,
    ("sites.kpis.export_xlsx", "GET"): SITE_READ,
    ("sites.kpis.enter", "GET"): expect(LOGIN, 403, 403, 200, 200, 403, 200),
    ("sites.kpis.enter", "POST"): SITE_WRITE,
    ("sites.kpis.import_values", "GET"): expect(LOGIN, 403, 403, 200, 200, 403, 200),
    ("sites.kpis.import_values", "POST"): SITE_WRITE,
    ("sites.kpis.targets", "GET"): expect(LOGIN, 403, 403, 200, 200, 403, 200),
    ("sites.kpis.targets", "POST"): SITE_WRITE,
    ("sites.kpis.delete_period", "GET"): expect(LOGIN, 403, 403, 200, 200, 403, 200),
    ("sites.kpis.delete_period", "POST"): SITE_WRITE,
    ("sites.delivery.index", "GET"): SITE_READ,
    ("sites.delivery.recover", "GET"): SITE_EDIT_PAGE_ANY,
    ("sites.delivery.recover", "POST"): SITE_WRITE,
    ("sites.delivery.agree", "GET"): SITE_EDIT_PAGE_ANY,
    ("sites.delivery.agree", "POST"): SITE_WRITE,
    # People (app/people)
    ("sites.people.index", "GET"): SITE_READ,
    ("sites.people.new", "GET"): SITE_EDIT_PAGE,
    ("sites.people.new", "POST"): SITE_WRITE,
    ("sites.people.show", "GET"): SITE_READ,
    ("sites.people.edit", "GET"): SITE_EDIT_PAGE,
    ("sites.people.edit", "POST"): SITE_WRITE,
    ("sites.people.join_group", "POST"): SITE_WRITE,
    ("sites.people.export_person", "GET"): SITE_EDIT_PAGE,
    ("sites.people.erase", "GET"): SITE_MANAGE,
    ("sites.people.erase", "POST"): SITE_MANAGE_POST,
    ("sites.people.coverage", "GET"): SITE_READ,
    ("sites.people.export_csv", "GET"): SITE_EDIT_PAGE,
    ("sites.people.export_xlsx", "GET"): SITE_EDIT_PAGE,
    ("sites.people.groups", "GET"): SITE_READ,
    ("sites.people.groups", "POST"): SITE_WRITE,
    ("sites.people.group", "GET"): SITE_READ,
    ("sites.people.group", "POST"): SITE_WRITE,
    ("sites.people.edit_group", "GET"): SITE_EDIT_PAGE,
    ("sites.people.edit_group", "POST"): SITE_WRITE,
    ("sites.people.delete_group", "GET"): SITE_EDIT_PAGE_ANY,
    ("sites.people.delete_group", "POST"): SITE_WRITE,
    # The matrix erases the sample person (manager, admin) before it reaches this row: 404.
    ("sites.people.remove_member", "GET"): SITE_EDIT_PAGE_ANY,
    ("sites.people.remove_member", "POST"): SITE_WRITE,
    ("sites.people.import_upload", "GET"): SITE_EDIT_PAGE,
    ("sites.people.import_upload", "POST"): SITE_WRITE,
    ("sites.people.import_confirm", "POST"): SITE_WRITE,
    ("sites.documents.index", "GET"): SITE_READ,
    ("sites.documents.index", "POST"): SITE_WRITE,
    ("sites.documents.agree", "POST"): SITE_SPONSOR_POST,
    ("sites.documents.pid_docx", "GET"): SITE_READ,
    ("sites.documents.steering_report", "GET"): SITE_READ,
    ("sites.documents.steering_report_docx", "GET"): SITE_READ,
}

# Plan: anyone on the site reads; editors change tasks; the manager creates the plan.
SITE_EDIT_PAGE = expect(LOGIN, 403, 403, 200, 200, 403, 200)
RULES.update(
    {
        ("sites.plan.index", "GET"): SITE_READ,
        ("sites.plan.create", "POST"): SITE_MANAGE_POST,
        ("sites.plan.inline", "POST"): SITE_WRITE,
        ("sites.plan.new_task", "GET"): SITE_EDIT_PAGE,
        ("sites.plan.new_task", "POST"): SITE_WRITE,
        ("sites.plan.task", "GET"): SITE_READ,
        ("sites.plan.edit_task", "GET"): SITE_EDIT_PAGE,
        ("sites.plan.edit_task", "POST"): SITE_WRITE,
        ("sites.plan.move", "POST"): SITE_WRITE,
        ("sites.plan.delete_task", "GET"): SITE_EDIT_PAGE,
        ("sites.plan.delete_task", "POST"): SITE_WRITE,
        ("sites.plan.comment", "POST"): SITE_WRITE,
        ("sites.plan.timeline", "GET"): SITE_READ,
        ("sites.plan.export", "GET"): SITE_READ,
        ("sites.plan.import_plan", "GET"): SITE_EDIT_PAGE,
        ("sites.plan.import_plan", "POST"): SITE_WRITE,
        ("sites.plan.confirm_import", "POST"): SITE_WRITE,
        ("mytasks.index", "GET"): SIGNED_IN,
    }
)

# Gateways: members read; editors confirm criteria; managers request review; only the
# sponsor (a separate member, not one of these roles) signs off, sends back or reopens.
RULES.update(
    {
        ("sites.documents.ask", "POST"): SITE_MANAGE_POST,
        ("sites.documents.decline", "POST"): SITE_SPONSOR_POST,
        ("sites.gateways.index", "GET"): SITE_READ,
        ("sites.gateways.show", "GET"): SITE_READ,
        ("sites.gateways.record", "GET"): SITE_READ,
        ("sites.gateways.record_docx", "GET"): SITE_READ,
        ("sites.gateways.confirm_criterion", "POST"): SITE_WRITE,
        ("sites.gateways.request_review", "POST"): SITE_MANAGE_POST,
        ("sites.gateways.decide", "POST"): SITE_SPONSOR_POST,
        ("sites.gateways.reopen", "POST"): SITE_SPONSOR_POST,
    }
)

# Portfolio: support and admin staff only; site members without a global role are refused.
SUPPORT_ONLY = expect(LOGIN, 403, 403, 403, 403, 200, 200)
RULES.update(
    {
        ("portfolio.index", "GET"): SUPPORT_ONLY,
        ("portfolio.export", "GET"): SUPPORT_ONLY,
        ("portfolio.follow", "POST"): expect(LOGIN, 403, 403, 403, 403, ALLOWED, ALLOWED),
        ("portfolio.follow_region", "POST"): expect(LOGIN, 403, 403, 403, 403, ALLOWED, ALLOWED),
    }
)

# Email: your own choices; unsubscribe links work without signing in (the token is the
# permission); the outbox is for administrators; a site's agenda notice is the managers'.
RULES.update(
    {
        ("notifications.preferences", "GET"): SIGNED_IN,
        ("notifications.preferences", "POST"): SIGNED_IN_POST,
        ("notifications.unsubscribe", "GET"): PUBLIC,
        ("notifications.unsubscribe", "POST"): PUBLIC,
        ("notifications.outbox", "GET"): ADMIN_ONLY,
        ("notifications.retry", "POST"): ADMIN_ONLY_POST,
        ("sites.mail.index", "GET"): SITE_READ,
        ("sites.mail.index", "POST"): SITE_MANAGE_POST,
    }
)
# Site search: whoever reads the site may search it.
RULES.update({("sites.search.index", "GET"): SITE_READ})
