package main

import (
	"fmt"
	"time"

	"github.com/aceo-project/aceo/pipeline/diag"
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
			Usage: "recognise the S3 server, configure what it can do for aceo, check it, and say what it cannot",
			Description: "Names the server (MinIO, SeaweedFS, AWS S3...), creates the bucket if needed,\n" +
				"and checks each feature on the server itself: conditional writes (writing\n" +
				"probes/conditional-writes; setup stops if they are ignored), versioning (the\n" +
				"original of any revision someone overwrites through the S3 API is kept; aceo\n" +
				"reads it), published/ open to anonymous reads and nothing else (checked as an\n" +
				"anonymous client), roles (scoped temporary credentials, checked to be refused\n" +
				"a write), and how aceo watch hears of changes. Each line starts with ok or\n" +
				"NOT; a NOT line says what the missing feature means and what to do.",
			Action: func(c *cli.Context) error {
				r, err := openRepo(c)
				if err != nil {
					return err
				}
				sp, ok := r.Store.(store.Preparer)
				if !ok {
					return fmt.Errorf("the store %s needs no setup and cannot enforce roles (the local directory is single-user); setup is for s3:// stores", r.Store)
				}
				lang, err := msgLang(c, false)
				if err != nil {
					return err
				}
				steps, err := sp.Setup(c.Context, layout.Public)
				for _, st := range steps {
					mark := "ok "
					if !st.OK {
						mark = "NOT"
					}
					fmt.Fprintf(c.App.Writer, "%s %s\n", mark, diag.Translate(lang, st.Line))
				}
				return err
			},
		}},
	}
}
