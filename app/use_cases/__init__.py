"""The use cases: small objects, one per kind of thing a user does, that share one
``Context`` (the open storage, the clock and who acts). ``app.service.TokenService``
composes them into the one API the desktop app, the command line and the HTTP service use.
"""
