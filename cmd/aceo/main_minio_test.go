package main

import (
	"os"
	"testing"

	"github.com/aceo-project/aceo/pipeline/store/s3test"
)

// TestMain runs the tests, or, with ACEO_TEST_MAIN=1, is the aceo command
// itself, for tests that need a program to run (shell completion).
func TestMain(m *testing.M) {
	if os.Getenv("ACEO_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	s3test.Main(m)
}
