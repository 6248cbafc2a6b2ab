package statement

import _ "embed"

// fpdf's core fonts take single-byte, code-page text: UTF-8 names come out
// garbled unless every string is translated, and whatever the code page lacks
// is lost. An embedded Unicode TrueType font takes UTF-8 as it is, so ë, ç and
// any name a customer has print correctly. DejaVu Sans is under the Bitstream
// Vera licence (fonts/LICENSE); fpdf subsets it on output, so a document
// carries only the glyphs it uses, not the 1.4 MB of both files.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)
