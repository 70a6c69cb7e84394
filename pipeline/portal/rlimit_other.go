//go:build !unix

package portal

func openFileLimit() int { return 1536 }
