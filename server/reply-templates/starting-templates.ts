import type { TemplateContent } from "./store.ts";

/**
 * The templates a new database starts with, published as version 1: the seed's customer-service scripts (S19) with
 * their XX blanks as placeholders, and, for the problems the seed has no script for (unhappy with the service, a
 * fulfilment error, damage in transit), replies written in the same voice. The English is a faithful translation.
 */
export const startingTemplates: Record<string, TemplateContent> = {
  not_as_expected_thin_fabric: {
    title: "与想象不符：衣服很薄",
    zh: "这款衣服我们的设计师是根据轻盈、凉爽的理念设计的，所以拿在手上是会有比较薄比较纤柔的感觉，但是亲穿在身上可是会很舒适的！",
    en: "Our designers made this piece around the idea of being light and cool, so it does feel thin and delicate in the hand, but it is really comfortable to wear!",
  },
  colour_difference: {
    title: "与想象不符：色差",
    zh: "我们的照片都是100%实物拍摄的，但网上购物由于不同的显示器和每个人视觉感官的不同有些许色差问题是难免的，亲对其他地方还满意吗？",
    en: "All our photos are taken of the real item, but when shopping online a slight colour difference is hard to avoid, since screens differ and everyone sees colours a little differently. Are you happy with everything else?",
  },
  size_not_fitting: {
    title: "与想象不符：穿着不合身",
    zh: "亲，如果衣服实在穿着不合身的话我们是可以为您提供退换服务的，您先了解一下我们的退换货须知噢！",
    en: "If it really does not fit, we can offer you a return or an exchange. Please have a look at our return and exchange notes first!",
  },
  wants_return: {
    title: "不满意，要求退货",
    zh: "您好！请问是什么地方不满意呢？您告诉我们，我们会尽全力为您解决的！当然也可以提供退货服务的，您可以先了解一下我们的退换货须知。",
    en: "Hello! May we ask what you are not happy with? Tell us and we will do our very best to sort it out! Of course we can also offer a return; please have a look at our return and exchange notes first.",
  },
  late_delivery: {
    title: "到货延迟：安抚客户",
    zh: "亲，您先别着急！您的{item}从{fromCity}发到{toCity}需要大概5-7天的时间，预计您在{days}天内就能收到了！我们随时帮您关注着物流动态的，如果中途有任何问题我们会在第一时间通知您！您放心！",
    en: "Please don't worry! Your {item} takes about 5–7 days to travel from {fromCity} to {toCity}, so you should receive it within {days} days! We are keeping an eye on the shipment the whole way, and if anything goes wrong we will tell you straight away. Rest assured!",
  },
  shipped_notice: {
    title: "发货后通知",
    zh: "亲，您好，您在本店购买的{item}（订单号{orderNo}）已经为您发货。发货地：{fromCity}，快递公司为{carrier}，快递单号为{trackingNo}，您可以在订单详情中点击“查看物流”跟踪查询。我们将为您跟踪查询货物的最新动态，如有任何问题我们会联系您！感谢您对本店的支持，我们将会用心的为您服务到底！",
    en: "Hello! The {item} you bought from our shop (order {orderNo}) has been shipped. It was sent from {fromCity} with {carrier}, tracking number {trackingNo}; you can follow it with “View logistics” in the order details. We will keep track of the shipment for you and contact you if anything comes up! Thank you for supporting our shop; we will look after you all the way!",
  },
  in_transit_notice: {
    title: "快递途中通知",
    zh: "亲，您好，我们已经对您购买的{item}进行了快递跟踪查询（{carrier}，快递单号{trackingNo}），预计您在{days}天内将会收到商品，请注意查收。收到商品后如果有任何问题请尽快与我们联系。如果没有问题，请及时对我们的服务进行确认和评价，您的好评是我们一贯的追求，也是我们不断提升的动力，谢谢您的信任与支持！",
    en: "Hello! We have checked the tracking of the {item} you bought ({carrier}, tracking number {trackingNo}): you should receive it within {days} days, so please look out for it. If anything is wrong when it arrives, please contact us as soon as you can. If all is well, please confirm receipt and rate our service; your good review is what we always aim for and what keeps us improving. Thank you for your trust and support!",
  },
  thanks_after_review: {
    title: "评价后致谢",
    zh: "感谢您的真诚评价，您对我们的认可就是我们不断努力的动力，希望在以后的日子里还能得到您的继续支持，我们也将会一如既往的给您最贴心的服务！",
    en: "Thank you for your sincere review! Your appreciation is what keeps us working hard. We hope to keep your support in the days to come, and we will go on giving you the most caring service, as always!",
  },
  apology_service: {
    title: "对客服不满意：道歉",
    zh: "亲，真的非常抱歉，是我们的服务没有做好，让您不开心了！您反映的问题我们已经记下，会认真改进。关于订单{orderNo}，您还有任何需要都可以告诉我们，我们一定尽全力为您解决！",
    en: "We are truly sorry: our service fell short and we upset you! We have noted what you told us and will work to improve. If there is anything more you need about order {orderNo}, just tell us and we will do our very best to sort it out!",
  },
  fulfilment_error: {
    title: "配货纰漏：道歉补偿",
    zh: "亲，真的非常抱歉！我们核实了您的订单{orderNo}，确实是我们配货时出了纰漏，给您添麻烦了。我们会尽快为您补发或更换{item}，并送上{compensation}的优惠券作为补偿，请您耐心等待，有任何问题随时联系我们！",
    en: "We are so sorry! We checked your order {orderNo} and the mistake was ours when packing it; sorry for the trouble. We will send or exchange your {item} as soon as we can, with a {compensation} coupon to make up for it. Thank you for your patience, and contact us any time if anything comes up!",
  },
  damaged_in_transit: {
    title: "运输损坏：卖家承担",
    zh: "亲，非常抱歉！您收到的{item}在快递运输途中被损坏了，签收前的运输风险由我们承担。麻烦您拍下商品和外包装的照片发给我们，核实后我们会马上为您补发或退款，来回运费都由我们承担，给您带来不便，敬请谅解！",
    en: "We are very sorry! Your {item} was damaged by the carrier on its way to you; until you sign for it, the risk of the journey is ours. Please send us photos of the item and its packaging, and once we have checked them we will send a replacement or refund you straight away, with all postage paid by us. Sorry for the inconvenience!",
  },
};
