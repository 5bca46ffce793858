# exchange messages (ur). Keys here must not repeat those of other files.
# ڈیٹا کا تبادلہ: انسانی اسمگلنگ کیس ڈیٹا اسٹینڈرڈ (HTCDS v2.0) میں مقدمات کی برآمد و درآمد، اور CTDC کا گمنام اجرا۔

nav-exchange = ڈیٹا کا تبادلہ
exchange-title = ڈیٹا کا تبادلہ
exchange-intro = دوسرے نظاموں کے ساتھ مقدمات کا تبادلہ انسانی اسمگلنگ کیس ڈیٹا اسٹینڈرڈ (HTCDS v2.0، آئی او ایم) میں کریں، اور متاثرین کا گمنام ڈیٹا کاؤنٹر ٹریفکنگ ڈیٹا کولیبوریٹو (CTDC) کے متغیرات میں جاری کریں۔
exchange-from = سے (جرم کی تاریخ)
exchange-to = تک (جرم کی تاریخ)
exchange-format = فائل کی قسم
exchange-format-csv = CSV
exchange-format-xlsx = ایکسل (XLSX)
exchange-format-json = JSON

exchange-htcds-export-heading = مقدمات کی برآمد (HTCDS)
exchange-htcds-export-help = آپ کے یونٹ کے مقدمات (اور وہ جو آپ کو سونپے گئے یا مکمل طور پر شیئر کیے گئے) جن کی جرم کی تاریخ اس مدت میں ہے، ہر شخص کی ایک قطار۔ متاثرین، گواہ اور مخبر فرضی نام سے آتے ہیں جب تک آپ نے ان کی شناخت ظاہر نہ کی ہو؛ عدالتی حکم سے مہر شدہ افراد شامل نہیں ہوتے۔ برآمد آڈٹ لاگ میں درج ہوتی ہے۔
exchange-htcds-export-button = برآمد کریں
exchange-htcds-import-heading = HTCDS فائل درآمد کریں
exchange-htcds-import-help = HTCDS ترتیب میں CSV، ایکسل یا JSON فائل۔ پہلے ہر قطار جانچی جاتی ہے: اگر کسی میں غلطی ہو تو کچھ درآمد نہیں ہوتا اور ہر مسئلہ درج کیا جاتا ہے۔ پہلے سے درآمد شدہ مقدمات (ان کی HTCDS شناخت سے) چھوڑ دیے جاتے ہیں۔ جن قدروں کی نگہبان میں جگہ نہیں وہ درج کی جاتی ہیں اور مقدمے کے ساتھ محفوظ رہتی ہیں۔
exchange-htcds-import-file = فائل
exchange-htcds-import-button = درآمد کریں
exchange-export-done = { $file }: { $cases } مقدمات، { $rows } قطاریں؛ { $withheld } محفوظ افراد کی شناخت روکی گئی۔
exchange-import-done = { $file }: { $added } مقدمات درآمد ہوئے ({ $numbers })، { $persons } افراد شامل ہوئے، { $skipped } مقدمات پہلے سے موجود تھے۔
exchange-import-nothing-new = { $file }: کچھ نیا نہیں۔ اس فائل کے تمام { $skipped } مقدمات پہلے درآمد ہو چکے ہیں۔
exchange-import-refused = { $file }: کچھ درآمد نہیں ہوا۔ درست کرنے کے لیے { $problems } مسائل:
exchange-unmapped-heading = وہ قدریں جن کا نگہبان میں کوئی خانہ نہیں ({ $count }): مقدمے کے ساتھ محفوظ، اور برآمد پر واپس لکھی جاتی ہیں
exchange-unmapped-line = قطار { $row }، کالم { $column } ({ $header }): “{ $value }”: { $reason }
exchange-unmapped-no-field = نگہبان میں اس کالم کا کوئی خانہ نہیں
exchange-unmapped-no-value = نگہبان میں اس قدر کا کوئی مترادف نہیں
exchange-warnings-heading = توجہ طلب
exchange-col-row = قطار
exchange-col-column = کالم
exchange-col-value = قدر
exchange-col-why = وجہ

sheet-htcds-unexpected-sheets = ورک بک میں HTCDS جدول ایک ورک شیٹ پر ہوتا ہے؛ ان ورک شیٹس میں بھی ڈیٹا ہے: { $others }۔ انہیں ہٹائیں (یا صرف جدول محفوظ کریں) اور دوبارہ درآمد کریں۔
sheet-htcds-unexpected-column = یہ کالم HTCDS کا کوئی ایسا خانہ نہیں جسے نگہبان جانتا ہو۔ اسے HTCDS خانے کا نام دیں (مثلاً prs_FirstName) یا ہٹا دیں۔
sheet-htcds-duplicate-column = یہ کالم دو بار آیا ہے۔
sheet-htcds-missing-key = { $column } کا کالم نہیں: ہر قطار کو اپنے مقدمے کا نام دینا چاہیے۔
sheet-htcds-needs-column = فائل میں { $column } کا کالم نہیں، جس کی اس مقدمے کو ضرورت ہے ({ $problem })۔
sheet-htcds-case-differs = یہ قطار مقدمے کو قطار { $first } سے مختلف قدر دیتی ہے: ایک مقدمے کی قطاروں کو متفق ہونا چاہیے۔
sheet-htcds-person-differs = یہ قطار شخص کو قطار { $first } سے مختلف { $column } دیتی ہے: ایک شخص کی قطاروں کو متفق ہونا چاہیے۔
sheet-htcds-derived-differs = یہ قدر { $used } سے میل نہیں کھاتی؛ { $used } استعمال ہوا۔

exchange-ctdc-heading = گمنام اجرا (CTDC)
exchange-ctdc-help = ان مقدمات کے متاثرین جو آپ دیکھ سکتے ہیں اور جن کی جرم کی تاریخ اس مدت میں ہے، CTDC متغیرات میں: جنس، عمر کا گروہ، شہریت، استحصال کا ملک، قابو کے طریقے، استحصال اور مشقت کی اقسام، بھرتی کرنے والے سے تعلق۔ کوئی نام، نمبر، تاریخ یا تحریر باہر نہیں جاتی۔ فائل اس وقت تک روکی جاتی ہے جب تک جنس، عمر کے گروہ، شہریت اور استحصال کے ملک کا ہر مجموعہ کم از کم k متاثرین میں مشترک نہ ہو۔
exchange-k = k (سب سے چھوٹا گروہ)
exchange-suppress = ضرورت کے مطابق چھپائیں (نایاب قدریں “نامعلوم” ہو جاتی ہیں؛ پھر بھی اکیلے رہ جانے والے متاثرین نکال دیے جاتے ہیں)
exchange-ctdc-download = جاری شدہ فائل ڈاؤن لوڈ کریں
exchange-ctdc-button = جاری کریں
exchange-ctdc-done = k = { $k } پر { $victims } میں سے { $rows } متاثرین جاری ہوئے: { $classes } گروہ، سب سے چھوٹا { $smallest } کا۔ چھپایا گیا: { $cells } خانے نامعلوم کیے گئے، { $records } متاثرین نکالے گئے۔
exchange-ctdc-refused = جاری نہیں ہوا: { $reason }
ctdc-refused-k = k کم از کم 2 ہونا چاہیے (مانگا گیا { $k })۔
ctdc-refused-class = { $size } متاثرین کا ایک گروہ جنس، عمر کا گروہ، شہریت اور استحصال کا ملک مشترک رکھتا ہے ({ $class })؛ ہر گروہ میں کم از کم { $k } ہونے چاہییں۔ چھپانے کی اجازت دیں، یا لمبی مدت یا چھوٹا k چنیں۔
ctdc-refused-column = جدول میں ایسا کالم ہے جو CTDC متغیر نہیں ({ $column })۔
ctdc-refused-value = قطار { $row }، کالم { $column } میں کالم کے ذخیرۂ الفاظ سے باہر کی قدر ہے۔
ctdc-refused-ragged = قطار { $row } میں { $expected } کالموں کے لیے { $found } خانے ہیں۔
ctdc-refused-empty = کسی کو الگ پہچانے بغیر { $k } سے کم متاثرین ہی جاری ہو سکتے تھے۔
