enum _PlaceholderTapisAPI {}
