package store

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Server names the S3 server behind the store, from the Server header of
// an anonymous request to its endpoint: "MinIO", "SeaweedFS 30GB 4.53",
// "AmazonS3", or "" when the server gives none. Asked once per store; an
// error (the server unreachable) is kept too.
func (s *S3) Server(ctx context.Context) (string, error) {
	s.serverOnce.Do(func() {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		u := *s.client.EndpointURL()
		u.Path = "/" + s.bucket + "/"
		req, err := http.NewRequestWithContext(ctx, http.MethodHead, u.String(), nil)
		if err != nil {
			s.serverErr = fmt.Errorf("ask %s what it is: %w", u.Host, err)
			return
		}
		c := &http.Client{Transport: s.transport}
		resp, err := c.Do(req)
		if err != nil {
			s.serverErr = fmt.Errorf("ask %s what it is: %w", u.Host, err)
			return
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
		resp.Body.Close()
		s.server = strings.TrimSpace(resp.Header.Get("Server"))
	})
	return s.server, s.serverErr
}

// Product is the server's product name alone ("MinIO", "SeaweedFS",
// "AmazonS3"), or "" when unknown.
func (s *S3) Product(ctx context.Context) string {
	name, err := s.Server(ctx)
	if err != nil {
		return ""
	}
	name, _, _ = strings.Cut(name, " ")
	name, _, _ = strings.Cut(name, "/")
	return name
}

// IsSeaweedFS tells whether the store's server is SeaweedFS's S3 gateway,
// which has no bucket notification API: its filer posts changes to a
// webhook instead (notification.toml).
func (s *S3) IsSeaweedFS(ctx context.Context) bool {
	return strings.EqualFold(s.Product(ctx), "SeaweedFS")
}
