// Placeholder; the store's kill -9 writer comes with the store tests.
