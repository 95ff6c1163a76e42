"""translator: plain-English eligibility criteria that are verified against their source."""

from translator.domain import AgeLimit, Criterion, Origin, Study
from translator.segment import segment

__version__ = "0.1.0"
__all__ = ["AgeLimit", "Criterion", "Origin", "Study", "__version__", "segment"]
