# assessment messages (ur). Keys here must not repeat those of other files.
# انسانی ٹریفکنگ اور اسمگلنگ کا جائزہ اور اس کی علامات۔ یہاں کی ہر کلید ⁦assessment.en.ftl⁩ میں بھی ہونی چاہیے۔

## تجاویز

suggestion-trafficking = تجویز: انسانی ٹریفکنگ (⁦TIP⁩)
suggestion-smuggling = تجویز: تارکینِ وطن کی اسمگلنگ (⁦SOM⁩)
suggestion-both = تجویز: انسانی ٹریفکنگ اور تارکینِ وطن کی اسمگلنگ، دونوں
suggestion-neither = تجویز: نہ انسانی ٹریفکنگ، نہ اسمگلنگ
suggestion-insufficient_information = نتیجہ تجویز کرنے کے لیے حقائق ناکافی ہیں

## علامات کے گروپ

indicator-category-act = عمل: فرد کے ساتھ کیا کیا گیا
indicator-category-act-hint = ہر وہ کام منتخب کریں جو کسی نے فرد کے ساتھ کیا: بھرتی کرنا، ایک جگہ سے دوسری جگہ لے جانا، کسی کے حوالے کرنا، اپنے پاس رکھنا یا وصول کرنا۔
indicator-category-means = ذرائع: فرد کی مرضی کو کیسے دبایا گیا
indicator-category-means-hint = استعمال ہونے والا ہر ذریعہ منتخب کریں۔ بچے (۱۸ سال سے کم) کے معاملے میں ذرائع ثابت کرنا ضروری نہیں۔
indicator-category-purpose = مقصد: استحصال، جو ہوا یا جس کا ارادہ تھا
indicator-category-purpose-hint = وہ استحصال منتخب کریں جو فرد کے ساتھ ہوا یا ہونا تھا۔ ضروری نہیں کہ وہ ہو چکا ہو۔
indicator-category-forced_labour = جبری مشقت کی علامات (⁦ILO⁩ کے اشارے)
indicator-category-forced_labour-hint = کام کی جگہ پر فرد کو جو کچھ جھیلنا پڑا وہ منتخب کریں۔ ان میں سے کئی علامات ایک ساتھ ہوں تو جبری مشقت کی نشاندہی ہوتی ہے۔
indicator-category-smuggling = اسمگلنگ: سرحد، کاغذات اور ادائیگی
indicator-category-smuggling-hint = سرحد پار سفر کے بارے میں اور اس کے لیے کس کو ادائیگی ہوئی، جو کچھ معلوم ہے وہ منتخب کریں۔
indicator-category-vulnerability = کمزور حالت
indicator-category-vulnerability-hint = وہ حالات جن کی وجہ سے فرد کا استحصال آسان تھا۔ یہ بذاتِ خود ذرائع نہیں؛ ان سے ناجائز فائدہ اٹھانا ذریعہ ہے۔

## علامات: عمل

indicator-recruitment = بھرتی کیا گیا (نوکری، شادی یا سفر کی پیشکش)
indicator-transportation = منتقل کیا گیا (ایک جگہ سے دوسری جگہ لے جایا گیا)
indicator-transfer = حوالے کیا گیا (ایک شخص سے دوسرے شخص کو سونپا گیا)
indicator-harbouring = پناہ میں رکھا گیا (کہیں رکھا یا چھپایا گیا)
indicator-receipt = وصول کیا گیا (پہنچنے پر قبضے میں لیا گیا)

## علامات: ذرائع

indicator-threat = دھمکی دی گئی
indicator-use_of_force = طاقت استعمال کی گئی (مار پیٹ، زبردستی پکڑنا، بند کرنا)
indicator-coercion = دیگر طریقوں سے مجبور کیا گیا (مرضی کے خلاف بات منوائی گئی)
indicator-abduction = اغوا کیا گیا
indicator-fraud = فراڈ (جعلی معاہدہ، جعلی کاغذات، تنخواہ کے جھوٹے وعدے)
indicator-deception = کام، تنخواہ، جگہ یا شادی کے بارے میں دھوکا دیا گیا
indicator-abuse_of_power = اختیار کا ناجائز استعمال (آجر، سرکاری اہلکار، بزرگ یا بااختیار رشتہ دار کی طرف سے)
indicator-abuse_of_vulnerability = کسی نے فرد کی غربت، قرض، عمر، بیماری یا قانونی حیثیت نہ ہونے سے ناجائز فائدہ اٹھایا
indicator-payment_to_person_in_control = فرد پر اختیار رکھنے والے شخص (والدین، شوہر، سرپرست، آجر) کو رقم یا فائدہ دیا گیا یا اس نے لیا

## علامات: مقصد

indicator-purpose_sexual_exploitation = جنسی استحصال
indicator-purpose_forced_labour = جبری مشقت یا خدمات
indicator-purpose_bonded_labour = بندھوا مزدوری (قرض اتارنے کے لیے کام)
indicator-purpose_domestic_servitude = گھریلو غلامی
indicator-purpose_forced_marriage = جبری شادی
indicator-purpose_forced_begging = جبری گداگری
indicator-purpose_organ_removal = انسانی اعضاء نکالنا
indicator-purpose_child_camel_jockey = بچے کو اونٹ دوڑ میں جاکی بنانا
indicator-purpose_children_in_crime = بچے کو جرائم میں استعمال کرنا (منشیات، چوری)
indicator-purpose_other_exploitation = دیگر استحصال

## علامات: جبری مشقت کے گیارہ اشارے

indicator-ilo_abuse_of_vulnerability = آجر نے مزدور کی کمزور حالت سے ناجائز فائدہ اٹھایا
indicator-ilo_deception = کام، اجرت یا حالاتِ کار کے بارے میں دھوکا دیا گیا
indicator-ilo_restriction_of_movement = کام کی جگہ یا رہائش چھوڑنے کی آزادی نہیں تھی
indicator-ilo_isolation = الگ تھلگ رکھا گیا (خاندان سے رابطہ منقطع، فون نہیں، دور دراز جگہ)
indicator-ilo_physical_sexual_violence = جسمانی یا جنسی تشدد
indicator-ilo_intimidation_threats = ڈرایا دھمکایا گیا (پولیس، ملک بدری یا خاندان کو نقصان کی دھمکی)
indicator-ilo_retention_of_documents = پاسپورٹ یا شناختی کارڈ لے لیا گیا
indicator-ilo_withholding_of_wages = اجرت روک لی گئی یا ادا نہیں کی گئی
indicator-ilo_debt_bondage = قرض کی غلامی (ایسا قرض اتارنے کے لیے کام جو کبھی ختم نہیں ہوتا)
indicator-ilo_abusive_conditions = کام یا رہائش کے ناروا حالات
indicator-ilo_excessive_overtime = حد سے زیادہ اوقاتِ کار یا اوور ٹائم

## علامات: اسمگلنگ

indicator-crossed_international_border = بین الاقوامی سرحد عبور کی گئی
indicator-intercepted_before_crossing = سرحد عبور کرنے سے پہلے روک لیا گیا (انٹرسیپٹ یا آف لوڈ)
indicator-irregular_entry = کسی دوسرے ملک میں غیر قانونی داخلہ (ویزا یا چیک پوسٹ کے بغیر)
indicator-irregular_exit = پاکستان سے غیر قانونی روانگی یا اس کی کوشش (ایگزٹ پوائنٹ کے بغیر یا امیگریشن سے بچ کر)
indicator-unofficial_crossing_point = سرکاری گزرگاہ سے ہٹ کر سرحد عبور کی گئی (پہاڑی راستہ، ساحل سے کشتی)
indicator-fraudulent_travel_documents = جعلی، ردوبدل شدہ یا دھوکے سے حاصل کردہ پاسپورٹ یا ویزا، یا کسی اور کا پاسپورٹ
indicator-concealed_in_transport = گاڑی، کنٹینر یا کشتی میں چھپایا گیا
indicator-paid_facilitator = سفر کے لیے ایجنٹ یا سہولت کار کو ادائیگی کی گئی
indicator-fee_owed_to_facilitator = ایجنٹ کی فیس واجب الادا ہے (بعد میں یا تنخواہ سے ادا کرنی ہے)
indicator-paid_through_hawala = ادائیگی حوالہ کے ذریعے ہوئی

## علامات: کمزور حالت

indicator-poverty = غربت
indicator-family_debt = خاندان کا مقروض ہونا
indicator-cannot_read = ناخواندگی (لکھنا پڑھنا نہیں آتا)
indicator-disability = معذوری یا شدید بیماری
indicator-irregular_status = جہاں موجود تھے وہاں قانونی حیثیت نہ ہونا
indicator-dependent_on_sponsor = ویزا یا قیام کے لیے آجر یا کفیل پر انحصار
indicator-language_barrier = مقامی زبان سے ناواقفیت
indicator-refugee_or_displaced = پناہ گزین یا بے گھر
indicator-substance_dependence = منشیات یا شراب کی لت
indicator-repeat_encounter = پہلے بھی سامنا ہو چکا ہے (پہلے روکا گیا، ڈی پورٹ یا آف لوڈ کیا گیا)

## سوالات

assess-q-age_years = واقعات کے وقت عمر (سال)
assess-q-is_child = کیا فرد بچہ تھا (۱۸ سال سے کم)؟
assess-q-exploitation_forms = استحصال کی صورتیں (جو ہوا یا جس کا ارادہ تھا)
assess-q-crossed_border = کیا فرد نے کسی ایسے ملک کی بین الاقوامی سرحد عبور کی جس کا وہ شہری یا مستقل رہائشی نہیں؟
assess-q-irregular_crossing = کیا اس ملک میں داخلہ، یا پاکستان سے روانگی، غیر قانونی تھی (درست کاغذات کے بغیر، سرکاری گزرگاہ سے ہٹ کر، جعلی دستاویزات پر)؟
assess-q-benefit_to_facilitator = کیا سفر کا انتظام کرنے والے کو رقم یا کوئی اور فائدہ ملا، یا اس کا وعدہ کیا گیا؟
assess-q-consented = کیا فرد سفر یا کام پر رضامند تھا؟
assess-q-exploited_en_route = کیا راستے میں یا منزل پر فرد کا استحصال ہوا؟
assess-answer-yes = ہاں
assess-answer-no = نہیں
assess-answer-unknown = معلوم نہیں

## عناصر، نتائج

assess-element-act = عمل
assess-element-means = ذرائع
assess-element-purpose = مقصد
assess-element-border = سرحد عبور کرنا
assess-element-irregularity = غیر قانونی داخلہ یا روانگی
assess-element-benefit = اسمگلر کا فائدہ
assess-status-shown = موجود
assess-status-not_shown = موجود نہیں
assess-status-not_required = ضروری نہیں (بچہ)
assess-status-unknown = معلوم نہیں
assess-status-contradictory = جوابات میں تضاد
assess-conclusion-yes = ہاں
assess-conclusion-no = نہیں
assess-conclusion-unknown = معلوم نہیں
assess-topic-trafficking = انسانی ٹریفکنگ
assess-topic-smuggling = تارکینِ وطن کی اسمگلنگ
assess-topic-general = نتیجہ

## وجوہات

assess-conflict_child = عمر اور “کیا فرد بچہ تھا؟” کا جواب آپس میں میل نہیں کھاتے۔ ان میں سے ایک درست کریں؛ تب تک فرد کی عمر نامعلوم سمجھی جائے گی۔
assess-conflict_border = جواب کے مطابق کوئی سرحد عبور نہیں کی گئی، مگر منتخب کردہ ایک علامت کے مطابق سرحد عبور کی گئی۔ ان میں سے ایک درست کریں۔
assess-conflict_irregularity = جواب کے مطابق سرحد قانونی طور پر عبور کی گئی، مگر منتخب کردہ ایک علامت کے مطابق ایسا نہیں تھا۔ ان میں سے ایک درست کریں۔
assess-conflict_benefit = جواب کے مطابق کسی کو ادائیگی نہیں ہوئی، مگر منتخب کردہ ایک علامت کے مطابق ادائیگی ہوئی۔ ان میں سے ایک درست کریں۔
assess-tip_not_assessed = عمل، ذرائع یا مقصد کے بارے میں کچھ درج نہیں کیا گیا، اس لیے انسانی ٹریفکنگ کا جائزہ نہیں لیا جا سکا۔
assess-tip_act_shown = کسی نے فرد کو بھرتی کیا، منتقل کیا، کسی کے حوالے کیا، اپنے پاس رکھا یا وصول کیا: یہ ٹریفکنگ کا عمل ہے۔
assess-tip_act_not_shown = کوئی عمل درج نہیں: یہ درج نہیں کہ کسی نے فرد کو بھرتی کیا، منتقل کیا، حوالے کیا، رکھا یا وصول کیا۔ کسی کو اپنے پاس رکھنا یا وصول کرنا بھی عمل میں شامل ہے۔
assess-tip_exploited_en_route = فرد کا راستے میں یا منزل پر پہنچ کر استحصال ہوا: اس سے عمل اور استحصال کا مقصد دونوں ظاہر ہوتے ہیں۔
assess-tip_means_shown = فرد کی مرضی کو دبانے کے لیے ذرائع استعمال کیے گئے۔
assess-tip_irregular_migrant_exploited = فرد نے غیر قانونی طور پر سرحد عبور کی اور پھر اس کا استحصال ہوا۔ قانونی حیثیت کے بغیر، گھر سے دور اور دوسروں کا محتاج تارکِ وطن کمزور حالت میں ہوتا ہے؛ اس کا استحصال اس کمزوری سے ناجائز فائدہ اٹھانا ہے، اور یہ ٹریفکنگ کا ایک ذریعہ ہے۔
assess-tip_child_means_not_required = فرد بچہ ہے (۱۸ سال سے کم): بچے کے معاملے میں ذرائع ثابت کرنا ضروری نہیں۔
assess-tip_no_means_adult = کوئی ذریعہ (دھمکی، طاقت، جبر، اغوا، فراڈ، دھوکا، اختیار یا کمزوری کا ناجائز استعمال، فرد پر اختیار رکھنے والے کو ادائیگی) درج نہیں، اس لیے بالغ فرد کے معاملے میں یہ ٹریفکنگ نہیں۔
assess-tip_means_depend_on_age = کوئی ذریعہ درج نہیں اور عمر معلوم نہیں: بچے (۱۸ سال سے کم) کے معاملے میں یہ ٹریفکنگ ہو گی، بالغ کے معاملے میں نہیں۔ عمر درج کریں۔
assess-tip_check_abuse_of_vulnerability = فرد کمزور حالت میں تھا۔ اگر کسی نے اس سے ناجائز فائدہ اٹھایا تو ذرائع میں “کسی نے فرد کی غربت، قرض، عمر، بیماری یا قانونی حیثیت نہ ہونے سے ناجائز فائدہ اٹھایا” منتخب کریں۔
assess-tip_purpose_shown = فرد کا استحصال ہوا، یا ہونا تھا: یہ ٹریفکنگ کا مقصد ہے۔
assess-tip_purpose_not_shown = کوئی استحصال، خواہ ہوا ہو یا اس کا ارادہ ہو، درج نہیں (مثلاً جبری مشقت، بندھوا مزدوری، جنسی استحصال، گھریلو غلامی، جبری شادی، گداگری یا اعضاء نکالنا)۔
assess-tip_consent_irrelevant = فرد رضامند تھا، مگر اس سے فرق نہیں پڑتا: کوئی بھی ذریعہ استعمال ہونے کے بعد رضامندی دفاع نہیں، اور بچہ اپنے استحصال پر رضامندی دے ہی نہیں سکتا۔
assess-tip_suggested = عمل، مقصد اور (بالغ کے معاملے میں) ذرائع سب موجود ہیں: یہ انسانی ٹریفکنگ کی نشاندہی کرتا ہے۔
assess-tip_no_border_needed = کوئی سرحد عبور نہیں کی گئی، مگر ٹریفکنگ کے لیے سرحد ضروری نہیں: یہ مکمل طور پر پاکستان کے اندر بھی ہو سکتی ہے۔
assess-som_not_assessed = سرحد عبور کرنے، غیر قانونی داخلے یا روانگی، یا سفر کی ادائیگی کے بارے میں کچھ درج نہیں، اس لیے اسمگلنگ کا جائزہ نہیں لیا جا سکا۔
assess-som_border_shown = فرد نے بین الاقوامی سرحد عبور کی۔
assess-som_attempt = فرد کو سرحد عبور کرنے سے پہلے روک لیا گیا (انٹرسیپٹ یا آف لوڈ)۔ اسمگلنگ کی کوشش بھی جرم ہے۔
assess-som_border_not_shown = نہ کوئی بین الاقوامی سرحد عبور کی گئی نہ عبور کرنے کی نوبت آئی، اس لیے یہ اسمگلنگ نہیں۔
assess-som_border_unknown = معلوم نہیں کہ فرد نے بین الاقوامی سرحد عبور کی یا کرنے والا تھا۔
assess-som_irregular_shown = داخلہ یا روانگی غیر قانونی تھی: درست کاغذات کے بغیر، سرکاری گزرگاہ سے ہٹ کر، جعلی دستاویزات پر یا گاڑی میں چھپ کر۔
assess-som_lawful_crossing = سرحد قانونی طور پر عبور کی گئی۔ قانونی سفر کے لیے کسی کو ادائیگی کرنا اسمگلنگ نہیں، البتہ لائسنس کے بغیر بیرونِ ملک ملازمت کے لیے بھرتی کرنا الگ جرم ہو سکتا ہے۔
assess-som_irregular_unknown = معلوم نہیں کہ داخلہ یا روانگی غیر قانونی تھی یا نہیں۔
assess-som_benefit_shown = سفر کا انتظام کرنے والے کو رقم یا کوئی اور فائدہ دیا گیا یا اس کا وعدہ کیا گیا۔
assess-som_no_benefit = فرد کو لے جانے سے کسی کو رقم یا کوئی اور مادی فائدہ نہیں ملا، اس لیے یہ اسمگلنگ نہیں۔
assess-som_benefit_unknown = معلوم نہیں کہ سفر کے لیے کسی کو ادائیگی ہوئی یا فائدے کا وعدہ کیا گیا۔
assess-som_suggested = اسمگلنگ کے لیے بین الاقوامی سرحد عبور کرنا (یا اس کی کوشش)، غیر قانونی داخلہ یا روانگی، اور اسمگلر کا فائدہ ضروری ہیں: تینوں درج ہیں۔
assess-som_without_consent = فرد سفر پر رضامند نہیں تھا۔ اسمگل ہونے والے تارکینِ وطن اپنی مرضی سے جاتے ہیں؛ جسے مرضی کے خلاف لے جایا گیا ہو وہ ٹریفکنگ کا شکار ہو سکتا ہے، اس لیے ذرائع کی جانچ کریں۔
assess-both_smuggled_and_exploited = اسمگل ہونے والا تارکِ وطن جس کا راستے میں استحصال ہوا ہو، انسانی ٹریفکنگ کا شکار بھی ہے: اسے ملزم نہیں، متاثرہ فرد سمجھیں۔
assess-both_separate_offences = انسانی ٹریفکنگ اور اسمگلنگ الگ الگ جرائم ہیں: جرم کی دونوں اقسام درج کریں اور ہر ایک کا مقدمہ اس کے اپنے قانون کے تحت چلائیں۔
assess-neither_suggested = درج شدہ حقائق سے نہ انسانی ٹریفکنگ ظاہر ہوتی ہے نہ اسمگلنگ۔ فیصلہ افسر کا ہے؛ مزید حقائق سامنے آئیں تو دوبارہ جائزہ لیں۔
assess-insufficient_information = حقائق ناکافی ہیں: عمل، ذرائع، مقصد، عمر، سرحد عبور کرنا یا ادائیگی میں سے کچھ معلوم نہیں۔ باقی سوالات کے جواب دیں۔
