"""Evidence: sources and the citations that tie each fact to a source."""
