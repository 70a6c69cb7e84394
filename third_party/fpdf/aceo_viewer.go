// aceo patch: see PATCHES.md.

package fpdf

// SetDisplayDocTitle asks viewers to show the document's title (SetTitle)
// in their window's title bar instead of the file name, as PDF/UA
// requires (ViewerPreferences DisplayDocTitle).
func (f *Fpdf) SetDisplayDocTitle(on bool) {
	f.displayDocTitle = on
}
