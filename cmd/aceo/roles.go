package main

import (
	"fmt"
	"time"

	"github.com/aceo-project/aceo/pipeline/layout"
	"github.com/aceo-project/aceo/pipeline/store"
	"github.com/urfave/cli/v2"
)

func rolesOf(c *cli.Context) (store.Roles, error) {
	r, err := openRepo(c)
	if err != nil {
		return nil, err
	}
	roles, ok := r.Store.(store.Roles)
	if !ok {
		return nil, fmt.Errorf("the store %s cannot enforce roles (the local directory is single-user); use an s3:// store", r.Store)
	}
	return roles, nil
}

func credentialsCommand() *cli.Command {
	issue := func(role string) *cli.Command {
		flags := []cli.Flag{&cli.DurationFlag{Name: "duration", Value: 12 * time.Hour, Usage: "how long the credentials last (at most what the store allows)"}}
		usage := "credentials that may do what editors do: write config/, drafts/, reviews/, builds/, published/"
		if role == layout.RoleAuthor {
			flags = append(flags, &cli.StringFlag{Name: "pub", Required: true, Usage: "the publication the author writes for"})
			usage = "credentials that may only add revisions under drafts/<pub>/ and read that publication"
		}
		return &cli.Command{
			Name:  role,
			Usage: usage,
			Flags: flags,
			Action: func(c *cli.Context) error {
				roles, err := rolesOf(c)
				if err != nil {
					return err
				}
				write, read, err := layout.Grant(role, c.String("pub"))
				if err != nil {
					return err
				}
				v, err := roles.Credentials(c.Context, store.Grant{Write: write, Read: read}, c.Duration("duration"))
				if err != nil {
					return err
				}
				fmt.Fprintf(c.App.Writer, "export AWS_ACCESS_KEY_ID=%s\nexport AWS_SECRET_ACCESS_KEY=%s\nexport AWS_SESSION_TOKEN=%s\n", v.AccessKeyID, v.SecretAccessKey, v.SessionToken)
				if !v.Expiration.IsZero() {
					fmt.Fprintf(c.App.ErrWriter, "valid until %s\n", v.Expiration.UTC().Format(time.RFC3339))
				}
				return nil
			},
		}
	}
	return &cli.Command{
		Name:  "credentials",
		Usage: "issue temporary credentials for a role, enforced by the store (editors, S3 stores)",
		Description: "Prints shell export lines. The store (through STS AssumeRole with a session\n" +
			"policy) limits the credentials to the role, whatever client uses them.",
		Subcommands: []*cli.Command{issue(layout.RoleAuthor), issue(layout.RoleEditor)},
	}
}

func storeCommand() *cli.Command {
	return &cli.Command{
		Name:  "store",
		Usage: "set up the store (administrators)",
		Subcommands: []*cli.Command{{
			Name:  "setup",
			Usage: "keep every version of every object, and let anyone read published/ (and nothing else)",
			Description: "Versions keep the original of any revision someone overwrites through the S3\n" +
				"API; aceo reads that original. The bucket policy opens published/ to anonymous\n" +
				"reads for the public catalogue. Setup first checks that the server honours\n" +
				"conditional writes (writing probes/conditional-writes), and stops if not.",
			Action: func(c *cli.Context) error {
				roles, err := rolesOf(c)
				if err != nil {
					return err
				}
				if bm, ok := roles.(store.BucketMaker); ok {
					created, err := bm.EnsureBucket(c.Context)
					if err != nil {
						return err
					}
					if created {
						fmt.Fprintf(c.App.Writer, "bucket created: %s\n", roles)
					}
				}
				// create-only revisions and the catalogue's updates rely
				// on conditional writes: refuse a server that ignores them
				if st, ok := roles.(store.Store); ok {
					if err := store.CheckConditionalWrites(c.Context, st); err != nil {
						return err
					}
					fmt.Fprintln(c.App.Writer, "conditional writes honoured: create-only (If-None-Match: *) and If-Match")
				}
				if v, ok := roles.(store.Versions); ok {
					if err := v.EnableVersions(c.Context); err != nil {
						return err
					}
					fmt.Fprintln(c.App.Writer, "versioning on: every version of every object is kept")
				}
				if err := roles.PublishPublicly(c.Context, layout.Public); err != nil {
					return err
				}
				fmt.Fprintln(c.App.Writer, layout.Public+" is now readable by anyone; everything else needs credentials")
				return nil
			},
		}},
	}
}
