"""Hand-written validators for `make bench`: the reference the generated ones are measured against."""
