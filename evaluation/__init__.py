"""The anonymous evaluation of the local strategy: statistics only, small cells suppressed (privacy invariant 8)."""
