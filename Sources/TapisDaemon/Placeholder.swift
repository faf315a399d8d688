enum _PlaceholderTapisDaemon {}
