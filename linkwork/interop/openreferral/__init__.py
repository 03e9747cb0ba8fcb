"""Open Referral UK 3.0: the read-only public feed under /openreferral/."""
