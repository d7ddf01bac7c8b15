"""Places: countries with their legal cards, and localities (cities and regions)."""
