"""Model fields shared by the apps."""

from typing import Any

from django.db import models


class WebAddressField(models.URLField):
    """A URL field whose forms take an address typed without a scheme as https."""

    def formfield(self, **kwargs: Any) -> Any:
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)
