# sheets messages (ur). Keys here must not repeat those of other files.
# Spreadsheet import and export (crate nigehban-sheets). Latin-script words and placeables that may
# be in either script are isolated (U+2066/U+2068 ... U+2069) so they keep their order in Urdu text.

# Where a problem is. $message is the problem in words.
sheet-located-file = فائل ⁨{ $file }⁩: { $message }
sheet-located-row = فائل ⁨{ $file }⁩، قطار { $row }: { $message }
sheet-located-column = فائل ⁨{ $file }⁩، کالم ⁦{ $column }⁩ (⁨{ $header }⁩): { $message }
sheet-located-cell = فائل ⁨{ $file }⁩، قطار { $row }، کالم ⁦{ $column }⁩ (⁨{ $header }⁩): { $message }
sheet-unnamed-header = بلا عنوان
sheet-severity-error = غلطی
sheet-severity-warning = انتباہ

# Reading the file.
sheet-empty-file = فائل خالی ہے۔
sheet-not-a-table = یہ ⁦CSV⁩ یا ایکسل فائل نہیں (یہ ⁨{ $kind }⁩ معلوم ہوتی ہے)۔ فہرست کو ⁦.xlsx⁩ یا ⁦.csv⁩ کے طور پر محفوظ کر کے وہ فائل درآمد کریں۔
sheet-unreadable = ورک بک پڑھی نہیں جا سکی (⁨{ $detail }⁩)۔ اسے اسپریڈشیٹ پروگرام میں کھول کر دوبارہ ⁦.xlsx⁩ یا ⁦.csv⁩ کے طور پر محفوظ کریں۔
sheet-encrypted = ورک بک پاس ورڈ سے محفوظ ہے۔ پاس ورڈ ہٹا دیں (یا بغیر پاس ورڈ کی نقل محفوظ کریں) اور دوبارہ درآمد کریں۔
sheet-no-sheet = ورک بک میں کوئی ایسی ورک شیٹ نہیں جس میں ڈیٹا ہو۔
sheet-other-sheets = صرف ورک شیٹ “⁨{ $sheet }⁩” پڑھی گئی؛ ان ورک شیٹوں میں بھی ڈیٹا ہے جو درآمد نہیں ہوا: ⁨{ $others }⁩۔
sheet-no-header = عنوانات کی قطار نہیں ملی: پہلی بھری ہوئی قطار میں کالموں کے نام ہونے چاہییں۔
sheet-rows-above-header = عنوانات کی قطار سے اوپر کی قطاریں (⁦{ $rows }⁩) چھوڑ دی گئیں (سرخیاں یا نوٹ)۔
sheet-too-large = فائل میں { $rows } قطاریں ہیں؛ ایک بار میں زیادہ سے زیادہ { $max } درآمد ہو سکتی ہیں۔ فہرست کو حصوں میں تقسیم کریں۔
sheet-unclosed-quote = اس قطار میں کھلنے والا اقتباس کا نشان (⁦"⁩) کہیں بند نہیں ہوتا، اس لیے باقی فائل کو قطاروں میں نہیں بانٹا جا سکتا۔
sheet-mixed-encodings = یہ قطار باقی فائل (⁦UTF-8⁩) سے مختلف کریکٹر انکوڈنگ (⁦Windows-1252⁩) میں ہے، اس لیے اس کے حروف غلط ہو سکتے ہیں۔ پوری فائل کو “⁦CSV UTF-8⁩” کے طور پر محفوظ کر کے دوبارہ درآمد کریں۔
sheet-invalid-text = اس قطار میں ایسے حروف ہیں جو ⁦{ $encoding }⁩ کے طور پر پڑھے نہیں جا سکتے۔
sheet-ragged-row = اس قطار میں { $found } خانے ہیں مگر عنوانات کی قطار میں صرف { $expected } کالموں کے نام ہیں: کالم ⁦{ $from }⁩ اور اس کے بعد کی قدروں کا کوئی عنوان نہیں۔

# Columns.
sheet-missing-column = شخص کے نام کا کوئی کالم نہیں۔ کسی کالم کا عنوان مثلاً یوں رکھیں: ⁨{ $accepted }⁩۔
sheet-duplicate-column = کالم ⁨{ $first }⁩ اور ⁨{ $second }⁩ دونوں میں { $field } ہے؛ صرف ایک رکھیں۔
sheet-ignored-column = یہ کالم پہچانا نہیں گیا: اس کی قدریں درآمد نہیں ہوں گی۔
sheet-unnamed-column = اس کالم میں قدریں ہیں مگر عنوان نہیں: یہ درآمد نہیں ہوں گی۔
sheet-no-rows = فائل میں عنوانات کی قطار (قطار { $header_row }) تو ہے مگر اس کے نیچے کوئی قطار نہیں۔
sheet-no-sex-column = فہرست میں جنس کا کالم نہیں: سب کی جنس نامعلوم درج ہو گی۔
sheet-config-invalid = نگہبان میں شامل کالموں کی تعریفیں درست نہیں (⁨{ $detail }⁩)۔ سسٹم ایڈمنسٹریٹر کو اطلاع دیں۔

# Rows.
sheet-empty-name = نام خالی ہے۔
sheet-formula = یہ “⁦{ $first }⁩” سے شروع ہوتا ہے، جسے اسپریڈشیٹ فارمولا سمجھ کر چلا دیتی ہے۔ ایسی قدریں قبول نہیں کی جاتیں: فہرست میں یہ خانہ درست کریں۔
sheet-duplicate-passport = پاسپورٹ نمبر ⁦{ $value }⁩ قطار { $earlier } میں پہلے سے موجود ہے۔
sheet-duplicate-cnic = شناختی کارڈ نمبر ⁦{ $value }⁩ قطار { $earlier } میں پہلے سے موجود ہے۔
sheet-duplicate-row = یہ قطار، قطار { $earlier } ہی کو دہراتی ہے۔
sheet-sex-blank = جنس درج نہیں: نامعلوم درج کی گئی۔
sheet-dob-year-only = صرف پیدائش کا سال (⁦{ $value }⁩) دیا گیا ہے: عمر اندازاً درج کی گئی۔
sheet-age-mismatch = دی گئی عمر ({ $age }) تاریخِ پیدائش (عمر { $computed }) سے مطابقت نہیں رکھتی؛ تاریخِ پیدائش رکھی گئی ہے۔
sheet-unknown-district = “⁨{ $value }⁩” گزیٹیئر میں کوئی ضلع نہیں۔ اسے جانچ کے لیے جوں کا توں رکھا گیا ہے۔
sheet-origin-is-country = “⁨{ $value }⁩” ملک ہے، ضلع نہیں۔ اسے جانچ کے لیے جوں کا توں رکھا گیا ہے۔

# What a column means (manifest fields).
sheet-field-serial = نمبر شمار
sheet-field-full-name = نام
sheet-field-given-name = پہلا نام
sheet-field-surname = خاندانی نام
sheet-field-father-name = والد کا نام
sheet-field-name-urdu = نام (اردو رسم الخط)
sheet-field-father-name-urdu = والد کا نام (اردو رسم الخط)
sheet-field-sex = جنس
sheet-field-date-of-birth = تاریخِ پیدائش
sheet-field-age = عمر
sheet-field-cnic = شناختی کارڈ نمبر (⁦CNIC⁩)
sheet-field-passport = پاسپورٹ نمبر
sheet-field-passport-country = پاسپورٹ جاری کرنے والا ملک
sheet-field-nationality = قومیت
sheet-field-origin-district = آبائی ضلع
sheet-field-phone = فون نمبر
sheet-field-address = پتہ
sheet-field-remarks = کیفیت
sheet-field-arrival-date = ملک بدری یا آمد کی تاریخ
sheet-field-reason = ملک بدری کی وجہ
sheet-field-flight-or-vessel = پرواز یا بحری جہاز

# How the file was read, and the import report.
sheet-format-csv = ⁦CSV⁩ فائل، ⁦{ $encoding }⁩، { $delimiter } سے الگ کی گئی
sheet-format-xlsx = ایکسل ورک بک، ورک شیٹ “⁨{ $sheet }⁩”
sheet-format-xls = ایکسل ⁦97-2003⁩ ورک بک، ورک شیٹ “⁨{ $sheet }⁩”
sheet-format-ods = اوپن ڈاکیومنٹ اسپریڈشیٹ، ورک شیٹ “⁨{ $sheet }⁩”
sheet-delimiter-comma = کوموں
sheet-delimiter-semicolon = سیمی کولنوں
sheet-delimiter-tab = ٹیبوں
sheet-delimiter-pipe = عمودی لکیروں
sheet-summary = پڑھی گئی قطاریں: { $total }۔ درست: { $valid }۔ مسترد: { $rejected }۔
sheet-commit-all-or-nothing = سب قطاریں درآمد کریں یا کوئی بھی نہیں
sheet-commit-valid-rows = درست قطاریں درآمد کریں اور مسترد قطاروں کی فہرست دیں
