package publication

import "sort"

// Topics is the vocabulary of topics a publication may list, for the
// public catalogue's filter: the environmental themes and the cooperation
// areas of the ASEAN-China Environmental Cooperation Action Plan.
var Topics = map[string]Text{
	"air-quality":        {"en": "Air quality", "zh": "空气质量"},
	"biodiversity":       {"en": "Biodiversity and ecosystems", "zh": "生物多样性与生态系统"},
	"climate":            {"en": "Climate change", "zh": "气候变化"},
	"coasts-seas":        {"en": "Coasts and seas", "zh": "海岸与海洋"},
	"cooperation":        {"en": "Regional cooperation", "zh": "区域合作"},
	"eco-labelling":      {"en": "Eco-labelling and green procurement", "zh": "环境标志与绿色采购"},
	"education":          {"en": "Environmental education", "zh": "环境教育"},
	"freshwater":         {"en": "Freshwater", "zh": "淡水"},
	"green-economy":      {"en": "Green economy and industry", "zh": "绿色经济与产业"},
	"policy":             {"en": "Environmental policy and law", "zh": "环境政策与法规"},
	"sustainable-cities": {"en": "Sustainable cities", "zh": "可持续城市"},
	"technology":         {"en": "Environmentally sound technology", "zh": "环境无害技术"},
}

// TopicIDs lists the topic vocabulary's ids in order.
func TopicIDs() []string {
	ids := make([]string, 0, len(Topics))
	for id := range Topics {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
