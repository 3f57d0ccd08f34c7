"""Trusted deployers: a CI job's OIDC ID token (a JWT its platform signs) exchanged for a
short-lived deployment token, with nothing long-lived stored in the CI system.

``bindings``: what a binding says and how a token's claims match it (pure);
``discovery``: the issuers' signing keys, by OpenID discovery, cached;
``validation``: the JWT's signature, algorithm, issuer, audience and times.
"""
