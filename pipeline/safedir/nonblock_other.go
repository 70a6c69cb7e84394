//go:build !unix

package safedir

const oNonblock = 0
