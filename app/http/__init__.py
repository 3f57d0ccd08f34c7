"""The verification service's HTTP face (Falcon, WSGI): authorize, introspect, GitLab's
token revocation, health, readiness and metrics, over the same ``TokenService`` as the
command line. ``app.serve`` runs it on gunicorn.

Fail closed: when the database cannot answer, every verification is 503, never 401 or
"inactive", so a gateway never tells a pipeline its token is bad when the server is. No
token, secret or Authorization header is ever logged or echoed.

``application.create_app`` puts the endpoints together, one module each; ``requests``
holds what they all read from a request, and ``rate_limits`` the failed-login counters
the workers share. This package imports nothing itself: ``app.serve`` must set up
prometheus_client's multiprocess mode before the metrics module loads it.
"""
