package main

import (
	"testing"

	"github.com/aceo-project/aceo/pipeline/store/miniotest"
)

func TestMain(m *testing.M) { miniotest.Main(m) }
