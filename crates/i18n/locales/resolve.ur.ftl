# resolve messages (ur). Keys here must not repeat those of other files.
# `nigehban resolve dedupe|link`. Latin-script words and placeables are isolated (U+2066 ... U+2069)
# so that they keep their order in Urdu text.

# The command line.
resolve-field-syntax = “⁦{ $value }⁩” کالم:قسم کی صورت میں نہیں: فائل کا کالم اور اس کی قسم لکھیں، مثلاً ⁦--field "Name:full_name"⁩۔
resolve-unknown-kind = “⁦{ $value }⁩”: “⁦{ $kind }⁩” کوئی قسم نہیں۔ قسمیں یہ ہیں: ⁦{ $kinds }⁩۔
resolve-field-twice = کالم “⁦{ $column }⁩” دو بار دیا گیا ہے (⁦{ $first }⁩ اور ⁦{ $second }⁩ کے طور پر): ہر کالم ایک بار، اس کے مطابق قسم کے ساتھ دیں۔
resolve-too-many-fields = ⁦{ $count }⁩ فیلڈز دی گئی ہیں؛ زیادہ سے زیادہ ⁦{ $max }⁩ کا موازنہ ہو سکتا ہے۔
resolve-threshold = حد “⁦{ $value }⁩” صفر اور ایک کے درمیان (دونوں کے بغیر) کوئی احتمال نہیں، مثلاً ⁦0.9⁩۔

# The files.
resolve-cannot-read = فائل پڑھی نہیں جا سکی (⁦{ $detail }⁩)۔
resolve-missing-id-column = شناخت (⁦--id⁩) کا کالم “⁦{ $column }⁩” موجود نہیں۔ اس فائل کے کالم یہ ہیں: ⁦{ $headers }⁩۔
resolve-missing-column = کالم “⁦{ $column }⁩” موجود نہیں (جو ⁦--field⁩ میں ⁦{ $kind }⁩ کے طور پر دیا گیا)۔ اس فائل کے کالم یہ ہیں: ⁦{ $headers }⁩۔
resolve-no-records = فائل میں عنوانات کی قطار تو ہے مگر اس کے نیچے کوئی اندراج نہیں۔
resolve-empty-id = شناخت خالی ہے: ہر اندراج کی اپنی شناخت ہونی چاہیے۔
resolve-duplicate-id = شناخت “⁦{ $id }⁩” قطار ⁦{ $earlier }⁩ کی بھی شناخت ہے: ہر اندراج کی اپنی شناخت ہونی چاہیے۔
resolve-huge-field = یہ اندراج ⁦{ $length }⁩ حروف لمبا ہے؛ زیادہ سے زیادہ ⁦{ $max }⁩ پڑھے جاتے ہیں۔ کیا کسی خانے میں پوری دستاویز چسپاں ہو گئی ہے؟
resolve-kind-mismatch = کالم “⁦{ $column }⁩” کو ⁦{ $kind }⁩ بتایا گیا، مگر اس کی ⁦{ $present }⁩ قدروں میں سے ⁦{ $unreadable }⁩ ایسی نہیں، مثلاً قطار ⁦{ $row }⁩: “⁦{ $example }⁩”۔ کالم دیکھیں، یا اس کے مطابق قسم دیں۔
resolve-unreadable-values = کالم “⁦{ $column }⁩” کی ⁦{ $present }⁩ قدروں میں سے ⁦{ $unreadable }⁩ ⁦{ $kind }⁩ نہیں (مثلاً قطار ⁦{ $row }⁩: “⁦{ $example }⁩”)؛ ان کا موازنہ خالی کے طور پر ہوتا ہے۔
resolve-empty-column = کالم “⁦{ $column }⁩” کسی اندراج میں پُر نہیں: اس کا موازنہ نہیں ہوتا۔

# Labels and models.
resolve-labels-columns = لیبلز کی فائل میں ⁦id_a⁩، ⁦id_b⁩ اور ⁦is_match⁩ کالم ہونے چاہییں؛ غائب: ⁦{ $missing }⁩۔
resolve-labels-unknown-id = شناخت “⁦{ $id }⁩” فائل ⁦{ $list }⁩ میں نہیں۔
resolve-labels-value = “⁦{ $value }⁩” لیبل نہیں: ایک ہی شخص کے لیے ⁦1⁩ اور مختلف اشخاص کے لیے ⁦0⁩ لکھیں (یا ⁦yes / no⁩، ⁦true / false⁩)۔
resolve-model-unreadable = ماڈل استعمال نہیں ہو سکتا: ⁦{ $detail }⁩
resolve-model-fields = ماڈل دوسری فیلڈز (⁦{ $fields }⁩) پر تیار ہوا تھا: وہی ⁦--field⁩ دیں، یا نیا ماڈل تیار کریں۔
resolve-nothing-written = کچھ نہیں لکھا گیا۔ اوپر کے مسائل درست کر کے کمانڈ دوبارہ چلائیں۔

# The summary.
resolve-summary-records = اندراجات: ⁦{ $records }⁩ (⁦{ $file }⁩)
resolve-summary-records-link = اندراجات: ⁦{ $left_file }⁩ میں ⁦{ $left }⁩، ⁦{ $right_file }⁩ میں ⁦{ $right }⁩
resolve-summary-comparisons = موازنے (ایک ہی بلاکنگ کلید والے جوڑے): ⁦{ $pairs }⁩
resolve-summary-skipped = بہت عام ہونے کی وجہ سے چھوڑی گئی بلاکنگ کلیدیں (⁦{ $max }⁩ سے زیادہ اندراجات میں): ⁦{ $keys }⁩، کل ⁦{ $records }⁩ اندراجات میں
resolve-summary-pairs = کم از کم ⁦{ $threshold }⁩ احتمال والے جوڑے: ⁦{ $pairs }⁩، فائل ⁦{ $file }⁩ میں لکھے گئے
resolve-summary-clusters = گروہ (اکیلا اندراج بھی ایک گروہ ہے): ⁦{ $clusters }⁩، سب سے بڑا ⁦{ $largest }⁩ اندراجات کا، فائل ⁦{ $file }⁩ میں لکھے گئے
resolve-summary-model-used = ماڈل ⁦{ $file }⁩ سے جانچا گیا (تربیت کے بغیر)۔
resolve-summary-training = لیبلز کے بغیر تربیت، سوائے دیے گئے (⁦{ $labels }⁩ لیبل شدہ جوڑے): ⁦u⁩ ⁦{ $u_pairs }⁩ بے ترتیب جوڑوں سے، ⁦m⁩ اور ⁦λ⁩ ⁦EM⁩ سے ⁦{ $iterations }⁩ مراحل میں (⁦{ $converged }⁩)۔
resolve-summary-converged = مکمل
resolve-summary-not-converged = نامکمل: اعداد تقریبی ہو سکتے ہیں
resolve-summary-lambda = ⁦λ⁩، یعنی بے ترتیب چنے گئے دو اندراجات کے ایک ہی شخص ہونے کا احتمال: ⁦{ $lambda }⁩ (ابتدائی وزن ⁦{ $prior }⁩)
resolve-summary-weights = سیکھے گئے وزن (⁦m⁩: ایک ہی شخص کے جوڑوں میں حصہ؛ ⁦u⁩: مختلف اشخاص میں؛ وزن = ⁦log2(m/u)⁩):
resolve-column-field = فیلڈ
resolve-column-level = درجہ
resolve-column-weight = وزن
resolve-summary-explain = ہر جوڑے کی وضاحت فائل ⁦{ $file }⁩ میں لکھی گئی
resolve-summary-model-out = ماڈل فائل ⁦{ $file }⁩ میں لکھا گیا
resolve-summary-time = ⁦{ $seconds }⁩ سیکنڈ میں مکمل (ہر مرحلے کے سیکنڈ: ⁦{ $stages }⁩)۔
