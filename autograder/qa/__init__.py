"""The course's own quality checks, above the grader: answer catalogues, forgeries, claims,
samples, reference comparisons and the probe assignment."""
