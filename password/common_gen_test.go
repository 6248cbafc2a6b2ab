package password

import (
	"flag"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite common.txt from the word lists in common_gen_test.go")

// classicPasswords are the perennial top entries of published breach-derived lists (SplashData, NordPass, the
// RockYou top list), kept whole even where other rules already refuse them, so the list reads as what it is.
var classicPasswords = strings.Fields(`
123456 123456789 12345678 12345 1234567 1234567890 1234 111111 000000 123123 123321 654321 666666 696969
7777777 777777 121212 112233 555555 11111111 131313 159753 987654321 88888888 222222 333333 999999 987654
123654 123123123 1q2w3e 1q2w3e4r 1q2w3e4r5t 1qaz2wsx zaq12wsx zaq1zaq1 qazwsx qazwsxedc q1w2e3r4 q1w2e3r4t5
qwerty qwertyuiop qwerty123 qwerty1 qwer1234 1234qwer 123qwe qwe123 asdfgh asdfghjkl asdf1234 zxcvbn zxcvbnm
azerty qwertz abc123 abc12345 abcd1234 aa123456 a123456 a1b2c3 a1b2c3d4 password password1 password12
password123 password1234 passw0rd p@ssw0rd p@ssword pa55word pass123 pass1234 letmein letmein1 welcome
welcome1 welcome123 iloveyou iloveyou1 iloveyou2 admin admin123 administrator root toor changeme secret
default guest login master master1 dragon dragon1 monkey monkey1 shadow shadow1 sunshine sunshine1 princess
princess1 football football1 baseball baseball1 superman superman1 batman batman1 trustno1 starwars
michael jennifer jordan jordan23 hunter hunter2 buster soccer harley tigger charlie robert thomas hockey
ranger daniel george computer michelle jessica pepper freedom maggie ginger joshua cheese amanda summer
ashley nicole chelsea matthew access yankees dallas austin thunder taylor matrix william corvette hello
martin heather merlin diamond hammer silver anthony justin bailey patrick internet scooter orange golfer
cookie richard samantha bigdog guitar jackson whatever mickey chicken sparky snoopy maverick phoenix
camaro peanut morgan falcon cowboy ferrari samsung andrea smokey steelers joseph mercedes dakota arsenal
eagles melissa boomer spider nascar monster tigers yellow gateway marina diablo bulldog purple banana
junior hannah porsche lakers iceman money london tennis coffee scooby miller boston brandon yamaha chester
mother forever johnny edward oliver redsox player nikita knight fender barney midnight please brandy
chicago badboy slayer rangers charles angel flower bigdaddy rabbit wizard jasper rachel steven winner
adidas victoria natasha jasmine winter prince lovely loveme babygirl hottie liverpool barcelona realmadrid
juventus manchester chelsea1 arsenal1 ronaldo messi cristiano neymar pokemon minecraft fortnite roblox
google facebook youtube instagram twitter whatsapp tiktok netflix spotify apple iphone android windows
linux microsoft playstation xbox nintendo naruto sasuke goku spiderman ironman captain hulk thor avengers
superstar rockstar hello123 hello1 test test123 test1234 testing demo demo123 user user123 temp temp123
qwerty12 qwerty1234 asdfgh123 zxcvbnm1 1qazxsw2 qweasdzxc qweasd 1q2w3e4r5t6y 123abc abc123456 love123
lovely1 loveyou iloveu 520520 5201314 woaini 147258369 147258 258369 741852963 159357 zzzzzz aaaaaa xxxxxx
`)

// albanianPasswords are the local equivalents: the country, its cities and clubs, love and family words, the
// word "password" itself, and common first names, which customers pick as readily as English ones.
var albanianPasswords = strings.Fields(`
shqiperia shqiperi shqipe shqiptar shqiptare shqiptari shqipja shqiponja shqiponje kuqezi kuqezinjte
albania albanian albanija kosova kosovo kosove dardania arberia iliria ilirida ilir iliri skenderbeu
skenderbej kastrioti gjergj tirana tirane prishtina prishtine durres durresi vlora vlore shkoder shkodra
elbasan elbasani korca korce fieri berat berati saranda sarande gjirokaster gjirokastra kukes kukesi lezha
lezhe kavaja kavaje pogradec ksamil dajti tomori partizani vllaznia skenderbeu1 teuta flamurtari dinamo
laci kukesi1 drita besa besim dashuri dashuria dashurie zemra zemer zemra1 shpirt shpirti jeta jeta1
teduaj tedua tekam tekam1 dua1 nena nena1 mama babi babai baba motra vellai familja familje shtepia femija
femijet bukuroshe bukuri engjell engjelli yll ylli dielli hena pranvera vera dimri fjalekalimi fjalekalim
kalimi sekret sekreti celesi banka llogaria paraja parate euro lek leku lekun pasuria fitore fitorja
zoti perendia allah krishti
arben ardit arjan artan arta arber arberi besart besnik bledi blerim blerina dritan dritero edona elona
eltona elton enkeleda erion ermal ervin erjon fatjon fatos flutura gentian genti gent gezim ilirjan klajdi
klodian kristi kristian mirela mimoza redon renato rezart sokol teuta valbona xhesika xhuljana jonida
ornela orges orgest alba albana albi aldo alketa altin amarda anisa anxhela arjola ariana bardha bora
brikena dea denis diana donika dorina drilon egla eni enea erald eri esmeralda fjona florian gerti geraldo
greta ina irida jetmir juli klea kleo leart lorela luan marsela megi nertil noel olsi resmi rigels sara
sidorela sindi stela taulant uran valon visar xhoni
`)

// suffixes are what people append to a word to satisfy "letters and digits" rules: counters, lucky numbers, a
// trailing symbol and the years in which a password is likely to be set or last changed.
var suffixes = strings.Fields(`
1 2 3 7 11 12 13 22 69 77 99 01 07 1! 12! 123 1234 007 ! @ @1 #1 2000 2019 2020 2021 2022 2023 2024 2025 2026`)

// neverCommon must not appear in the list whatever the word lists grow into: the demo password, which the
// documentation tells people to type and the policy must therefore accept.
var neverCommon = []string{"kumbara2026"}

func generateCommon() []string {
	set := map[string]bool{}
	for _, w := range append(slices.Clone(classicPasswords), albanianPasswords...) {
		set[w] = true
	}
	// Variants are only worth listing where every other rule would let them through; shorter or longer ones are
	// refused by the length rule anyway and would only bloat the file.
	for _, w := range append(slices.Clone(classicPasswords), albanianPasswords...) {
		if strings.IndexFunc(w, func(r rune) bool { return r < 'a' || r > 'z' }) >= 0 {
			continue
		}
		for _, s := range suffixes {
			if v := w + s; utf8.RuneCountInString(v) >= MinLength && utf8.RuneCountInString(v) <= MaxLength {
				set[v] = true
			}
		}
	}
	for _, w := range neverCommon {
		delete(set, w)
	}
	list := make([]string, 0, len(set))
	for w := range set {
		if strings.Contains(w, "kumbara") {
			continue
		}
		list = append(list, w)
	}
	slices.Sort(list)
	return list
}

const commonHeader = `# Common passwords refused by the policy (password_common), one a line, compared case-insensitively.
# Generated by common_gen_test.go: go generate ./password/ (do not edit by hand).
`

func TestCommonListIsGenerated(t *testing.T) {
	want := commonHeader + strings.Join(generateCommon(), "\n") + "\n"
	if *update {
		if err := os.WriteFile("common.txt", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if commonList != want {
		t.Fatal("common.txt is out of date with common_gen_test.go; run go generate ./password/")
	}
}

func TestCommonListHasAtLeastAThousandPasswordsAndNotTheDemoOne(t *testing.T) {
	if n := len(parseCommon(commonList)); n < 1000 {
		t.Errorf("common list has %d passwords, want at least 1000", n)
	}
	for _, w := range neverCommon {
		if isCommon(fold(w)) {
			t.Errorf("%q is in the common list", w)
		}
	}
	for line := range strings.Lines(commonList) {
		if strings.Contains(strings.ToLower(line), "kumbara") {
			t.Errorf("common list names the bank: %q", strings.TrimSpace(line))
		}
	}
}
