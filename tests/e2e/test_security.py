"""The Content-Security-Policy in a real browser: our scripts run, injected ones do not."""

from tests.e2e.conftest import assert_no_axe_violations


def test_own_scripts_run_and_injected_inline_code_is_refused(browser, live_server) -> None:  # noqa: ANN001
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    try:
        page.goto(live_server("/login"))
        # The template's nonce'd inline script, htmx and the NHS.UK module all ran.
        assert "js-enabled" in page.evaluate("() => document.body.className")
        assert page.evaluate("() => typeof window.htmx") == "object"
        assert not blocked
        assert_no_axe_violations(page)

        # What an attacker's injected markup would do is refused.
        page.evaluate(
            """() => {
                const s = document.createElement('script');
                s.textContent = 'window.injected = true';
                document.body.appendChild(s);
            }"""
        )
        assert page.evaluate("() => window.injected === undefined")
        assert any("script-src" in message for message in blocked)
    finally:
        context.close()
