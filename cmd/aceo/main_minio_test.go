package main

import (
	"os"
	"testing"

	"github.com/aceo-project/aceo/pipeline/store/miniotest"
	"github.com/aceo-project/aceo/pipeline/store/seaweedtest"
	"github.com/aceo-project/aceo/pipeline/store/testbin"
)

// TestMain runs the tests, or, with ACEO_TEST_MAIN=1, is the aceo command
// itself, for tests that need a program to run (shell completion).
func TestMain(m *testing.M) {
	if os.Getenv("ACEO_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	miniotest.Main(stopSeaweed{m})
}

// stopSeaweed runs the tests, then stops the SeaweedFS server if one was
// started (miniotest.Main stops MinIO and exits).
type stopSeaweed struct{ m *testing.M }

func (s stopSeaweed) Run() int {
	code := s.m.Run()
	seaweedtest.StopShared()
	return code
}

// s3Servers are the real S3 servers the commands are tested on.
func s3Servers(t *testing.T) map[string]*testbin.S3 {
	return map[string]*testbin.S3{"minio": &miniotest.Shared(t).S3, "seaweedfs": &seaweedtest.Shared(t).S3}
}
