package main

import (
	"log"
	"os"
	"time"

	"github.com/xuri/excelize/v2"
)

const ex = "https://example.org/aceo-sample/" // illustrative evidence links

// attendance columns, in the countries' order
var trackerCountries = []string{"BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "CHN"}

type trow struct {
	ref, date, status, noteEN, noteZH, eventEN, eventZH, evidence, country, source string
	amount                                                                         float64
	att                                                                            map[string]int
}

var trackerRows = []trow{
	{ref: "1.1.3", date: "2013-03-20", status: "planned", noteEN: "First Environment Ministers Meeting proposed for 2014, hosted by an ASEAN Member State", noteZH: "首次环境部长会议拟于2014年由一东盟成员国主办"},
	{ref: "1.2.3", date: "2011-10-21", status: "done", noteEN: "First Forum held in Nanning, Guangxi, on innovation and green development", noteZH: "首届论坛在广西南宁举办，主题为创新与绿色发展", evidence: ex + "forum-2011"},
	{ref: "1.2.2", date: "2011-10-21", status: "done", eventEN: "2011 Forum, Nanning: innovation and green development", eventZH: "2011年论坛（南宁）：创新与绿色发展", evidence: ex + "forum-2011"},
	{ref: "1.2.2", date: "2012-09-20", status: "done", eventEN: "2012 Forum, Nanning: green economy", eventZH: "2012年论坛（南宁）：绿色经济", evidence: ex + "forum-2012"},
	{ref: "1.2.2", date: "2013-09-02", status: "done", eventEN: "2013 Forum, Nanning: green development and ecological civilisation", eventZH: "2013年论坛（南宁）：绿色发展与生态文明", evidence: ex + "forum-2013"},
	{ref: "2.4.2", date: "2011-10-20", status: "done", noteEN: "Launching ceremony in Nanning with Young Green Envoys from the AMS and China", noteZH: "在南宁举行启动仪式，东盟国家和中国的青年绿色使者出席", evidence: ex + "gep-launch"},
	{ref: "2.5.4", date: "2011-05-16", status: "done", eventEN: "Environmental impact assessment, Beijing", eventZH: "环境影响评价（北京）",
		att: map[string]int{"KHM": 3, "LAO": 3, "MMR": 3, "IDN": 2, "VNM": 2, "THA": 2, "PHL": 2, "MYS": 1}},
	{ref: "2.5.4", date: "2011-09-19", status: "done", eventEN: "Biodiversity conservation, Kunming", eventZH: "生物多样性保护（昆明）",
		att: map[string]int{"KHM": 2, "LAO": 3, "MMR": 2, "BRN": 1, "IDN": 2, "PHL": 2, "THA": 2, "VNM": 3}},
	{ref: "2.5.4", date: "2012-06-11", status: "done", eventEN: "Environmental law enforcement, Beijing", eventZH: "环境执法（北京）",
		att: map[string]int{"KHM": 3, "LAO": 2, "MMR": 3, "IDN": 2, "MYS": 2, "PHL": 2, "SGP": 1, "THA": 2, "VNM": 3}},
	{ref: "2.5.4", date: "2012-10-15", status: "delayed", noteEN: "Second 2012 session, on urban environmental management, postponed to April 2013", noteZH: "2012年第二期（城市环境管理）推迟至2013年4月"},
	{ref: "2.5.4", date: "2013-04-15", status: "done", eventEN: "Urban and rural environmental management, Nanning", eventZH: "城乡环境管理（南宁）",
		att: map[string]int{"KHM": 3, "LAO": 3, "MMR": 3, "BRN": 1, "IDN": 2, "MYS": 2, "PHL": 2, "THA": 2, "VNM": 3}},
	{ref: "2.5.4", date: "2013-09-09", status: "done", eventEN: "Environmental monitoring and pollution control, Beijing", eventZH: "环境监测与污染控制（北京）",
		att: map[string]int{"KHM": 2, "LAO": 2, "MMR": 3, "IDN": 3, "MYS": 2, "PHL": 2, "SGP": 1, "THA": 2, "VNM": 2}},
	{ref: "2.6.1", date: "2012-03-01", status: "in-progress", noteEN: "Website design agreed", noteZH: "网站设计方案确定"},
	{ref: "2.6.1", date: "2012-11-28", status: "done", noteEN: "Green Envoys Programme website online in English and Chinese", noteZH: "绿色使者计划中英文网站上线", evidence: ex + "gep-website"},
	{ref: "3.1.3", date: "2012-06-10", status: "in-progress", noteEN: "Network charter drafted", noteZH: "起草合作网络章程"},
	{ref: "3.1.3", date: "2012-12-10", status: "delayed", noteEN: "Launch moved to the 2013 China-ASEAN Expo", noteZH: "启动推迟至2013年中国—东盟博览会"},
	{ref: "3.1.3", date: "2013-09-03", status: "done", noteEN: "Network launched at the 10th China-ASEAN Expo, Nanning", noteZH: "合作网络在南宁第十届中国—东盟博览会上启动", evidence: ex + "industry-network"},
	{ref: "3.1.4", date: "2011-10-21", status: "done", eventEN: "8th China-ASEAN Expo", eventZH: "第八届中国—东盟博览会"},
	{ref: "3.1.4", date: "2012-09-21", status: "done", eventEN: "9th China-ASEAN Expo", eventZH: "第九届中国—东盟博览会"},
	{ref: "3.1.4", date: "2013-09-03", status: "done", eventEN: "10th China-ASEAN Expo", eventZH: "第十届中国—东盟博览会"},
	{ref: "3.2.2", date: "2011-11-15", status: "in-progress", noteEN: "Work plan agreed by both sides", noteZH: "双方商定工作计划"},
	{ref: "3.2.2", date: "2012-11-30", status: "done", noteEN: "Feasibility study report presented to the Joint Implementation Secretariat", noteZH: "向联合执行秘书处提交可行性研究报告", evidence: ex + "eco-label-study"},
	{ref: "3.3.2", date: "2012-05-20", status: "in-progress", noteEN: "Call for technologies issued to the business community", noteZH: "面向企业界发布技术征集"},
	{ref: "3.3.2", date: "2012-12-20", status: "delayed", noteEN: "Selection of companies postponed pending funding", noteZH: "因资金未落实，企业遴选推迟"},
	{ref: "4.1.4", date: "2011-07-01", status: "in-progress", noteEN: "Work plan adopted; expert team from the AMS and China formed", noteZH: "通过工作计划，组建由东盟国家和中国专家组成的团队"},
	{ref: "4.1.4", date: "2013-10-15", status: "in-progress", noteEN: "English and Chinese editions in final review, to be published in December 2013", noteZH: "中英文版进入终审，拟于2013年12月出版"},
	{ref: "4.2.1", date: "2013-06-28", status: "done", noteEN: "Joint policy study on cooperation in environmental management released", noteZH: "发布环境管理合作联合政策研究报告", evidence: ex + "policy-study"},
	{ref: "4.2.5", date: "2012-04-24", status: "done", noteEN: "CAEC-ACB joint workshop and study on biodiversity, Manila", noteZH: "中国—东盟环境保护合作中心与东盟生物多样性中心在马尼拉联合举办生物多样性研讨会并开展研究", evidence: ex + "acb-workshop"},
	{ref: "III.1.1", date: "2011-01-20", status: "done", noteEN: "Action Plan approved by the ASEAN and China environmental authorities", noteZH: "行动计划经东盟与中国环境主管部门批准"},
	{ref: "III.1.1", date: "2011-03-01", status: "done", country: "BRN", noteEN: "Department of Environment, Parks and Recreation", noteZH: "环境、公园与休闲局"},
	{ref: "III.1.1", date: "2011-02-15", status: "done", country: "KHM", noteEN: "Ministry of Environment", noteZH: "环境部"},
	{ref: "III.1.1", date: "2011-02-15", status: "done", country: "IDN", noteEN: "Ministry of Environment", noteZH: "环境部"},
	{ref: "III.1.1", date: "2011-04-20", status: "done", country: "LAO", noteEN: "Ministry of Natural Resources and Environment", noteZH: "自然资源与环境部"},
	{ref: "III.1.1", date: "2011-02-28", status: "done", country: "MYS", noteEN: "Ministry of Natural Resources and Environment", noteZH: "自然资源与环境部"},
	{ref: "III.1.1", date: "2011-06-10", status: "done", country: "MMR", noteEN: "Ministry of Environmental Conservation and Forestry", noteZH: "环境保护与林业部"},
	{ref: "III.1.1", date: "2011-03-01", status: "done", country: "PHL", noteEN: "Department of Environment and Natural Resources", noteZH: "环境与自然资源部"},
	{ref: "III.1.1", date: "2011-03-15", status: "done", country: "SGP", noteEN: "Ministry of the Environment and Water Resources", noteZH: "环境与水源部"},
	{ref: "III.1.1", date: "2011-02-20", status: "done", country: "THA", noteEN: "Ministry of Natural Resources and Environment", noteZH: "自然资源与环境部"},
	{ref: "III.1.1", date: "2011-03-10", status: "done", country: "VNM", noteEN: "Ministry of Natural Resources and Environment", noteZH: "自然资源与环境部"},
	{ref: "III.1.1", date: "2011-01-20", status: "done", country: "CHN", noteEN: "Ministry of Environmental Protection", noteZH: "环境保护部"},
	{ref: "III.1.2", date: "2011-12-05", status: "done", noteEN: "Secretariat working from CAEC, Beijing, and the ASEAN Secretariat, Jakarta", noteZH: "秘书处分设于北京的中国—东盟环境保护合作中心和雅加达的东盟秘书处"},
	{ref: "III.1.3", date: "2012-03-15", status: "in-progress", noteEN: "Draft terms of reference under consultation", noteZH: "职责范围草案正在磋商"},
	{ref: "III.1.4", date: "2012-01-10", status: "done", noteEN: "Co-directors appointed by ASEAN and by China", noteZH: "东盟与中国分别任命主任"},
	{ref: "III.2.1", date: "2011-06-01", status: "done", source: "cooperation-fund", amount: 1200000, noteEN: "Training programme and Forums, 2011-2013", noteZH: "2011—2013年培训项目和论坛"},
	{ref: "III.2.1", date: "2011-06-01", status: "done", source: "china", amount: 2500000, noteEN: "CAEC programme budget, 2011-2013", noteZH: "中国—东盟环境保护合作中心2011—2013年项目预算"},
	{ref: "III.2.1", date: "2012-03-01", status: "done", source: "international-partners", amount: 150000, noteEN: "Support to the Outlook expert workshops", noteZH: "支持展望报告专家研讨会"},
	{ref: "III.2.1", date: "2012-09-01", status: "done", source: "asean-governments", noteEN: "Hosting of training sessions and workshops, in kind", noteZH: "承办培训和研讨会（实物支持）"},
}

// writeTracker writes the sample tracker workbook: the illustrative
// progress of the Action Plan, 2011-2013.
func writeTracker(path string) {
	f := excelize.NewFile()
	defer f.Close()
	t := time.Date(2013, 11, 1, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	f.SetDocProps(&excelize.DocProperties{Created: t, Modified: t, Creator: "aceo sample", Title: "Illustrative Action Plan tracker"})
	f.SetSheetName("Sheet1", "progress")
	head := []any{"ref", "date", "status", "note_en", "note_zh", "event_en", "event_zh", "evidence", "country", "source", "amount_usd"}
	for _, c := range trackerCountries {
		head = append(head, c)
	}
	f.SetSheetRow("progress", "A1", &head)
	for i, r := range trackerRows {
		row := []any{r.ref, r.date, r.status, r.noteEN, r.noteZH, r.eventEN, r.eventZH, r.evidence, r.country, r.source, nil}
		if r.amount > 0 {
			row[10] = r.amount
		}
		for _, c := range trackerCountries {
			if n, ok := r.att[c]; ok {
				row = append(row, n)
			} else {
				row = append(row, nil)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		f.SetSheetRow("progress", cell, &row)
	}
	if err := os.MkdirAll("datasets/action-plan-2011-2013", 0o755); err != nil {
		log.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		log.Fatal(err)
	}
}
