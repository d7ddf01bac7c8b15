"""Actors: vendors, authorities, integrators, financiers and other organisations."""
