"""GitHub's REST description (the vendored subset), the cassette builder and the story the cassettes tell."""
