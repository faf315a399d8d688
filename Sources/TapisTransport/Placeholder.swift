enum _PlaceholderTapisTransport {}
