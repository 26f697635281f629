"""The security headers every answer carries, and the one page that needs a style nonce.

One Content-Security-Policy for the whole site: nothing from elsewhere, no inline script or
style. The SPARQL page's editor (CodeMirror) writes its own small style sheet into a
``<style>`` element, which ``style-src 'self'`` alone refuses, so that page alone is given
the same policy with a nonce for its styles (:func:`content_security_policy`).
"""

from __future__ import annotations

__all__ = ["CONTENT_SECURITY_POLICY", "content_security_policy", "security_headers"]

_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'{style_nonce}; "
    "script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def content_security_policy(style_nonce: str | None = None) -> str:
    """The site's policy; with ``style_nonce``, ``<style nonce=…>`` elements are allowed too.

    >>> "'nonce-abc'" in content_security_policy("abc"), "nonce" in content_security_policy()
    (True, False)
    """
    return _POLICY.format(style_nonce=f" 'nonce-{style_nonce}'" if style_nonce else "")


#: the policy of every page but the SPARQL editor's
CONTENT_SECURITY_POLICY = content_security_policy()


def security_headers(response):
    """Add the site's security headers to ``response`` unless a view set its own."""
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
