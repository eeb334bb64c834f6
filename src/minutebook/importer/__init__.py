"""`minutebook import`: agenda-pack text → draft content files for a clerk to review."""
