package seaweedtest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/aceo-project/aceo/pipeline/store/testbin"
)

// Cluster is a distributed SeaweedFS on loopback, each part its own
// process as a deployment would run them: a master, volume servers
// keeping each volume on two of them (replication 001), a filer and the
// S3 gateway (with STS).
type Cluster struct {
	testbin.S3
	dir    string
	master string                   // host:port
	procs  map[string]*testbin.Proc // "master", "volume0"..., "filer", "s3"
	order  []string
}

// StartCluster starts a cluster of volumes volume servers with the
// replication given (for example "001": one more copy on another server
// of the same rack) in dir.
func StartCluster(dir string, volumes int, replication string) (*Cluster, error) {
	bin, err := Binary()
	if err != nil {
		return nil, err
	}
	ports, err := freePorts(3 + volumes)
	if err != nil {
		return nil, err
	}
	master, filer, gw := ports[0], ports[1], ports[2]
	c := &Cluster{S3: testbin.S3{Endpoint: fmt.Sprintf("127.0.0.1:%d", gw), AccessKey: "aceo-test-root", SecretKey: "aceo-test-root-secret"},
		dir: dir, master: fmt.Sprintf("127.0.0.1:%d", master), procs: map[string]*testbin.Proc{}}
	if err := writeConfig(dir, c.AccessKey, c.SecretKey, Options{}); err != nil {
		return nil, err
	}
	loop := []string{"-ip=127.0.0.1", "-ip.bind=127.0.0.1"}
	ms := "127.0.0.1:" + strconv.Itoa(master)
	start := func(name string, args ...string) error {
		d := filepath.Join(dir, name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
		proc, err := testbin.Start(testbin.Cmd{Bin: bin, Args: args, Dir: d, Log: filepath.Join(dir, name+".log")})
		if err != nil {
			return fmt.Errorf("weed %s: %w", name, err)
		}
		c.procs[name] = proc
		c.order = append(c.order, name)
		return nil
	}
	fail := func(err error) (*Cluster, error) {
		c.Stop()
		return nil, err
	}
	if err := start("master", append([]string{"master", "-port=" + strconv.Itoa(master), "-mdir=" + filepath.Join(dir, "master"),
		"-defaultReplication=" + replication, "-volumeSizeLimitMB=64", "-peers=none"}, loop...)...); err != nil {
		return fail(err)
	}
	for i := 0; i < volumes; i++ {
		name := "volume" + strconv.Itoa(i)
		if err := start(name, append([]string{"volume", "-port=" + strconv.Itoa(ports[3+i]), "-dir=" + filepath.Join(dir, name),
			"-max=64", "-master=" + ms}, loop...)...); err != nil {
			return fail(err)
		}
	}
	if err := start("filer", append([]string{"filer", "-port=" + strconv.Itoa(filer), "-master=" + ms,
		"-defaultReplicaPlacement=" + replication}, loop...)...); err != nil {
		return fail(err)
	}
	if err := start("s3", "s3", "-ip.bind=127.0.0.1", "-port="+strconv.Itoa(gw), "-filer=127.0.0.1:"+strconv.Itoa(filer),
		"-config="+filepath.Join(dir, "s3.json"), "-iam.config="+filepath.Join(dir, "iam.json")); err != nil {
		return fail(err)
	}
	if err := c.ready(120 * time.Second); err != nil {
		return fail(err)
	}
	return c, nil
}

// ready waits until the gateway stores an object.
func (c *Cluster) ready(limit time.Duration) error {
	if err := c.Ready(limit); err != nil {
		return fmt.Errorf("the SeaweedFS cluster did not become ready: %v; logs in %s", err, c.dir)
	}
	return nil
}

// MasterAddr is the master's host:port.
func (c *Cluster) MasterAddr() string { return c.master }

// Volumes are the names of the volume servers' processes.
func (c *Cluster) Volumes() []string {
	var out []string
	for _, n := range c.order {
		if strings.HasPrefix(n, "volume") {
			out = append(out, n)
		}
	}
	return out
}

// CPUTime is the processor time each running part has used so far, by
// name.
func (c *Cluster) CPUTime() map[string]time.Duration {
	out := map[string]time.Duration{}
	for name, proc := range c.procs {
		if d, err := proc.CPUTime(); err == nil {
			out[name] = d
		}
	}
	return out
}

// Kill kills one part of the cluster (SIGKILL: no goodbye to the master).
func (c *Cluster) Kill(name string) error {
	proc, ok := c.procs[name]
	if !ok {
		return fmt.Errorf("no %s in the cluster", name)
	}
	delete(c.procs, name)
	proc.Kill()
	return nil
}

// Log is the end of one part's log, for a failing test's message.
func (c *Cluster) Log(name string, n int) string {
	return testbin.Tail(filepath.Join(c.dir, name+".log"), n)
}

// Stop kills every part, the gateway first.
func (c *Cluster) Stop() {
	for i := len(c.order) - 1; i >= 0; i-- {
		c.procs[c.order[i]].Kill()
		delete(c.procs, c.order[i])
	}
}

// writeConfig writes the gateway's identities (s3.json: the root
// credentials; with o.AnonymousRead, an anonymous reader) and its IAM
// file (iam.json: STS with a signing key), unless o.NoSTS.
func writeConfig(dir, access, secret string, o Options) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	ids := map[string]any{"identities": []any{map[string]any{
		"name":        "aceo-test",
		"credentials": []any{map[string]string{"accessKey": access, "secretKey": secret}},
		"actions":     []string{"Admin", "Read", "List", "Tagging", "Write"},
	}}}
	if o.AnonymousRead {
		ids["identities"] = append(ids["identities"].([]any), map[string]any{"name": "anonymous", "actions": []string{"Read", "List"}})
	}
	cfg, _ := json.Marshal(ids)
	if err := os.WriteFile(filepath.Join(dir, "s3.json"), cfg, 0o600); err != nil {
		return err
	}
	// STS (AssumeRole with session policies, for aceo's roles) needs a
	// signing key; the IAM file gives one
	iam, _ := json.Marshal(map[string]any{
		"sts":    map[string]any{"tokenDuration": "1h", "maxSessionLength": "12h", "issuer": "aceo-test-sts", "signingKey": []byte("aceo-test-sts-signing-key-0123456789")},
		"policy": map[string]any{"defaultEffect": "Deny"},
	})
	return os.WriteFile(filepath.Join(dir, "iam.json"), iam, 0o600)
}
