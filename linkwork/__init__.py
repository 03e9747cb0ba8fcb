"""Linkwork: community-led social prescribing."""
