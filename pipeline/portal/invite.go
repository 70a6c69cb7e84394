package portal

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/aceo-project/aceo/pipeline/publication"
)

// Invite is what an invitation link grants: one author may submit
// revisions of one item (a chapter in one language, a dataset or a
// figure) of one publication until it expires.
type Invite struct {
	Pub     string    `json:"pub"`
	Kind    string    `json:"kind"` // chapter, dataset, figure
	Item    string    `json:"item"`
	Lang    string    `json:"lang,omitempty"` // chapters
	Author  string    `json:"author"`
	Expires time.Time `json:"exp"`
	Nonce   string    `json:"n"`
}

// Kinds of invitation.
const (
	InviteChapter = "chapter"
	InviteDataset = "dataset"
	InviteFigure  = "figure"
)

// Errors of a link that cannot be used.
var (
	ErrInviteExpired = errors.New("the invitation has expired")
	ErrInviteInvalid = errors.New("the invitation link is not valid")
)

// Check says what is wrong with an invitation before it is signed.
func (inv Invite) Check() error {
	switch {
	case !publication.ValidID(inv.Pub):
		return fmt.Errorf("publication id %q is not valid", inv.Pub)
	case inv.Kind != InviteChapter && inv.Kind != InviteDataset && inv.Kind != InviteFigure:
		return fmt.Errorf("an invitation is for a chapter, a dataset or a figure, not %q", inv.Kind)
	case !publication.ValidID(inv.Item):
		// what a chapter, dataset or figure of the store may be named:
		// never "..", a path or 5,000 characters
		return fmt.Errorf("%s %q is not a valid name", inv.Kind, inv.Item)
	case inv.Kind == InviteChapter && inv.Lang != "en" && inv.Lang != "zh":
		return fmt.Errorf("a chapter invitation needs its language, en or zh (--lang)")
	case inv.Kind != InviteChapter && inv.Lang != "":
		return fmt.Errorf("only chapters have a language")
	case strings.TrimSpace(inv.Author) == "":
		return fmt.Errorf("name the author (--author)")
	case !utf8.ValidString(inv.Author) || strings.IndexFunc(inv.Author, unicode.IsControl) >= 0 || len(inv.Author) > 200:
		// it is recorded with every revision and printed in reports
		return fmt.Errorf("the author's name must be at most 200 bytes of text, without control characters")
	case inv.Expires.IsZero():
		return fmt.Errorf("an invitation needs an expiry")
	}
	return nil
}

// SignInvite makes the token of an invitation: its terms and their
// HMAC-SHA256 under key, both base64url. The terms are readable by
// whoever holds the link; only the key holder can make or change them.
func SignInvite(key []byte, inv Invite) (string, error) {
	if len(key) < 32 {
		return "", errors.New("the invitation key is shorter than 32 bytes; set ACEO_INVITE_KEY to a long random secret, e.g. the output of: openssl rand -hex 32")
	}
	if err := inv.Check(); err != nil {
		return "", err
	}
	if inv.Nonce == "" {
		n := make([]byte, 9)
		if _, err := rand.Read(n); err != nil {
			return "", err
		}
		inv.Nonce = base64.RawURLEncoding.EncodeToString(n)
	}
	inv.Expires = inv.Expires.UTC().Truncate(time.Second)
	body, err := json.Marshal(inv)
	if err != nil {
		return "", err
	}
	payload := base64.RawURLEncoding.EncodeToString(body)
	return payload + "." + base64.RawURLEncoding.EncodeToString(mac(key, payload)), nil
}

// strict decodes base64url refusing non-zero padding bits, so that a
// token has one spelling: a changed last character is a changed token.
var strict = base64.RawURLEncoding.Strict()

func mac(key []byte, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("aceo-invite-v1\n" + payload))
	return m.Sum(nil)
}

// VerifyInvite checks a token's signature and expiry and returns its
// terms: ErrInviteInvalid for a token changed in any way, ErrInviteExpired
// after its expiry.
func VerifyInvite(key []byte, token string, now time.Time) (Invite, error) {
	var inv Invite
	if len(key) < 32 || len(token) > 4096 {
		return inv, ErrInviteInvalid
	}
	payload, sig, ok := strings.Cut(token, ".")
	if !ok {
		return inv, ErrInviteInvalid
	}
	got, err := strict.DecodeString(sig)
	if err != nil || !hmac.Equal(got, mac(key, payload)) {
		return inv, ErrInviteInvalid
	}
	body, err := strict.DecodeString(payload)
	if err != nil || json.Unmarshal(body, &inv) != nil || inv.Check() != nil {
		return Invite{}, ErrInviteInvalid
	}
	if !now.Before(inv.Expires) {
		return inv, ErrInviteExpired
	}
	return inv, nil
}

// InviteURL is the upload page of a token under base (scheme and host),
// in the interface language lang.
func InviteURL(base, lang, token string) string {
	return strings.TrimRight(base, "/") + "/" + lang + "/upload/" + token
}
