package dataset

// Country is one of the eleven countries the Outlook covers.
type Country struct {
	Code string // ISO 3166-1 alpha-3
	EN   string // official short name in English, as ASEAN uses it
	ZH   string
	LDC  bool // least developed country
	AMS  bool // ASEAN Member State
}

// Countries are the ten ASEAN Member States in alphabetical order, then
// China.
var Countries = []Country{
	{"BRN", "Brunei Darussalam", "文莱", false, true},
	{"KHM", "Cambodia", "柬埔寨", true, true},
	{"IDN", "Indonesia", "印度尼西亚", false, true},
	{"LAO", "Lao PDR", "老挝", true, true},
	{"MYS", "Malaysia", "马来西亚", false, true},
	{"MMR", "Myanmar", "缅甸", true, true},
	{"PHL", "Philippines", "菲律宾", false, true},
	{"SGP", "Singapore", "新加坡", false, true},
	{"THA", "Thailand", "泰国", false, true},
	{"VNM", "Viet Nam", "越南", false, true},
	{"CHN", "China", "中国", false, false},
}

// Aggregates are computed from the countries, never typed in.
var Aggregates = []Country{
	{Code: "ASEAN", EN: "ASEAN", ZH: "东盟"},
	{Code: "ASEAN+CHN", EN: "ASEAN and China", ZH: "东盟与中国"},
}

var byCode = func() map[string]Country {
	m := map[string]Country{}
	for _, c := range Countries {
		m[c.Code] = c
	}
	return m
}()

// countryIndex is the index of code in Countries, or -1.
func countryIndex(code string) int {
	for i, c := range Countries {
		if c.Code == code {
			return i
		}
	}
	return -1
}

// CountryByCode finds a country by its code.
func CountryByCode(code string) (Country, bool) {
	c, ok := byCode[code]
	return c, ok
}

// IsAggregate reports whether code names a computed aggregate.
func IsAggregate(code string) bool {
	for _, a := range Aggregates {
		if a.Code == code {
			return true
		}
	}
	return false
}

// Name returns the country's name in lang.
func (c Country) Name(lang string) string {
	if lang == "zh" {
		return c.ZH
	}
	return c.EN
}
