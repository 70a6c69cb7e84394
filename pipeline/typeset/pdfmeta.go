package typeset

import (
	_ "embed"
	"encoding/xml"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// sRGB is the International Color Consortium's sRGB profile (sRGB2014,
// free to copy and embed: icc/LICENSE.color.org), the output intent of
// every edition: its colours are sRGB.
//
//go:embed icc/sRGB2014.icc
var sRGB []byte

// setMetadata gives the document its XMP metadata (title, authors,
// subject, language, keywords, tool and dates, the same as the document
// information dictionary, as PDF/UA and PDF/A require) and its sRGB
// output intent.
func setMetadata(pdf *fpdf.Fpdf, doc *Document, lang string, date time.Time) {
	esc := func(s string) string {
		var b strings.Builder
		xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	d := date.Format("2006-01-02T15:04:05") // as the information dictionary has it, without a zone
	var b strings.Builder
	b.WriteString("<?xpacket begin=\"\ufeff\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n")
	b.WriteString(`<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` + "\n")
	b.WriteString(`<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">` + "\n")
	b.WriteString(`<dc:format>application/pdf</dc:format>` + "\n")
	b.WriteString(`<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + esc(doc.Title) + `</rdf:li></rdf:Alt></dc:title>` + "\n")
	if doc.Author != "" {
		b.WriteString(`<dc:creator><rdf:Seq><rdf:li>` + esc(doc.Author) + `</rdf:li></rdf:Seq></dc:creator>` + "\n")
	}
	if doc.Subject != "" {
		b.WriteString(`<dc:description><rdf:Alt><rdf:li xml:lang="x-default">` + esc(doc.Subject) + `</rdf:li></rdf:Alt></dc:description>` + "\n")
	}
	if lang != "" {
		b.WriteString(`<dc:language><rdf:Bag><rdf:li>` + esc(lang) + `</rdf:li></rdf:Bag></dc:language>` + "\n")
	}
	if doc.Keywords != "" {
		b.WriteString(`<pdf:Keywords>` + esc(doc.Keywords) + `</pdf:Keywords>` + "\n")
	}
	b.WriteString(`<pdf:Producer>` + esc(Producer) + `</pdf:Producer>` + "\n")
	if doc.Creator != "" {
		b.WriteString(`<xmp:CreatorTool>` + esc(doc.Creator) + `</xmp:CreatorTool>` + "\n")
	}
	b.WriteString(`<xmp:CreateDate>` + d + `</xmp:CreateDate><xmp:ModifyDate>` + d + `</xmp:ModifyDate><xmp:MetadataDate>` + d + `</xmp:MetadataDate>` + "\n")
	b.WriteString("</rdf:Description>\n")
	b.WriteString(conformance)
	b.WriteString("</rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>")
	pdf.SetXmpMetadata([]byte(b.String()))
	pdf.AddOutputIntent(fpdf.OutputIntentType{SubtypeIdent: fpdf.OutputIntent_GTS_PDFA1, OutputConditionIdentifier: "sRGB IEC61966-2.1", Info: "sRGB IEC61966-2.1", ICCProfile: sRGB})
}

// conformance identifies the editions as PDF/A-2u (ISO 19005-2, level U:
// every text maps to Unicode) and PDF/UA-1 (ISO 14289-1), with the
// extension schema PDF/A-2 asks for the PDF/UA identification schema,
// which is not one of its predefined schemas.
const conformance = `<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>2</pdfaid:part><pdfaid:conformance>U</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
`
