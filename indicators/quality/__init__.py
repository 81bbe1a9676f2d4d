"""Data quality: plausibility rules evaluated in bulk, their warnings, the confirmations before a submission."""
