"""Ingest: ClinicalTrials.gov records and criteria text files into ``Study`` values."""

from translator.ingest.readers import Limits, ReadResult, read_file, read_paths, study_from_text
from translator.ingest.records import RecordProblem, study_from_object

__all__ = [
    "Limits",
    "ReadResult",
    "RecordProblem",
    "read_file",
    "read_paths",
    "study_from_object",
    "study_from_text",
]
